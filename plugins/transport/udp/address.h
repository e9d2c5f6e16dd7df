// The addresses the UDP transport takes ("ip:port", with an optional "udp://"
// prefix) and writes back. IPv4 only: ENet 1.3 speaks nothing else.
#pragma once

#include <enet/enet.h>
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::udp {

struct Address {
    uint32_t ip = 0;    // network byte order, as sockaddr_in and ENet keep it
    uint16_t port = 0;  // host byte order
    friend bool operator==(const Address&, const Address&) = default;
};

// A numeric address; ":port" or "0.0.0.0:port" is every local address.
// Throws std::invalid_argument naming the address and what is wrong with it.
Address parse_address(std::string_view text);
// As parse_address, but the host may be a name (resolved here: blocks).
Address resolve_address(std::string_view text);

std::string format_address(const Address& address);  // "127.0.0.1:40123"

sockaddr_in to_sockaddr(const Address& address);
Address from_sockaddr(const sockaddr_in& address);
inline ENetAddress to_enet(const Address& address) { return {address.ip, address.port}; }
inline Address from_enet(const ENetAddress& address) { return {address.host, address.port}; }

}  // namespace tether::udp
