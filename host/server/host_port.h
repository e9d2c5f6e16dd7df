// The servers' addresses as users write them: "ip:port" or "[v6]:port" to
// listen on, "host:port" (a name allowed) to dial.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::server {

struct HostPort {
    std::string host;  // brackets of an IPv6 address removed
    uint16_t port = 0;
};

// Throws std::invalid_argument naming the text and what is wrong with it.
HostPort split_host_port(std::string_view text);
// A numeric address to bind; throws std::invalid_argument as split_host_port does.
boost::asio::ip::tcp::endpoint parse_endpoint(std::string_view text);
// "127.0.0.1:40123" or "[::1]:40123"
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace tether::server
