// The servers' addresses as text: "ip:port", an IPv6 address in brackets.
// Users write "ip:port" to listen on and "host:port" (a name allowed) to
// dial; the rendezvous wire writes a peer's address plain (an IPv4 peer on a
// dual-stack socket as IPv4, no scope).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::server {

// The longest "ip:port" an address list keeps: "[" 45-character IPv6 "]:65535".
constexpr size_t kMaxEndpointText = 53;

// A numeric address to bind or connect to (port 0: any free port); throws
// std::invalid_argument as rendezvous::split_host_port does.
boost::asio::ip::tcp::endpoint parse_endpoint(std::string_view text);

// "127.0.0.1:40123" or "[::1]:40123", the address as it is.
std::string format_endpoint(const boost::asio::ip::address& address, uint16_t port);
boost::asio::ip::address plain_address(const boost::asio::ip::address& address);  // unmapped, no scope
// A peer's address as the rendezvous wire carries it: format_endpoint of the plain address.
std::string endpoint_text(const boost::asio::ip::address& address, uint16_t port);

}  // namespace tether::server
