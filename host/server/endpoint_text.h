// Addresses as the rendezvous wire writes them: "ip:port", IPv6 in brackets,
// an IPv4 peer on a dual-stack socket as plain IPv4.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tether::server {

// The longest "ip:port" an address list keeps: "[" 45-character IPv6 "]:65535".
constexpr size_t kMaxEndpointText = 53;

boost::asio::ip::address plain_address(const boost::asio::ip::address& address);  // unmapped, no scope
std::string endpoint_text(const boost::asio::ip::address& address, uint16_t port);

struct BindAddress {
    boost::asio::ip::address address;
    uint16_t port = 0;  // 0: any free port
};
// "ip:port" to listen on; nullopt for anything else.
std::optional<BindAddress> parse_bind_address(std::string_view text);

}  // namespace tether::server
