// The addresses the TCP transport takes ("host:port", "[v6]:port", with an
// optional "tcp://" prefix) and the way it writes endpoints back.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::tcp {

struct HostPort {
    std::string host;  // empty for ":port", meaning every local address
    uint16_t port = 0;
};

// Throws std::invalid_argument naming the address and what is wrong with it.
HostPort parse_address(std::string_view address);

// "127.0.0.1:40123" or "[::1]:40123"
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace tether::tcp
