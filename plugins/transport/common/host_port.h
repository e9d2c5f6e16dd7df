// "host:port" and "[v6]:port" as the socket transports take them, and the
// way they write endpoints back. Each transport strips its own scheme first.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::transport {

struct HostPort {
    std::string host;  // empty for ":port", meaning every local address
    uint16_t port = 0;
};

// Throws std::invalid_argument naming `whole` (the address as given) and what is wrong with it.
[[noreturn]] void reject_address(std::string_view whole, std::string_view why);
HostPort parse_host_port(std::string_view text, std::string_view whole);

// "127.0.0.1:40123" or "[::1]:40123"
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

// Writes `text` and its NUL into `out` (when it is not empty); throws std::length_error when it does not fit.
void copy_address(const std::string& text, char* out, size_t capacity);

}  // namespace tether::transport
