#include "host_port.h"

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace tether::transport {
namespace {

uint16_t parse_port(std::string_view text, std::string_view whole) {
    if (text.empty()) reject_address(whole, "missing port");
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > 65535)
        reject_address(whole, "port must be a number from 0 to 65535");
    return static_cast<uint16_t>(value);
}

}  // namespace

void reject_address(std::string_view whole, std::string_view why) {
    throw std::invalid_argument("bad address '" + std::string(whole) + "': " + std::string(why));
}

HostPort parse_host_port(std::string_view text, std::string_view whole) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const size_t close = text.find(']');
        if (close == std::string_view::npos) reject_address(whole, "missing ']' after the IPv6 address");
        host = text.substr(1, close - 1);
        text.remove_prefix(close + 1);
        if (!text.starts_with(':')) reject_address(whole, "missing port");
        port = text.substr(1);
    } else {
        const size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) reject_address(whole, "missing port");
        host = text.substr(0, colon);
        if (host.find(':') != std::string_view::npos) reject_address(whole, "an IPv6 address needs brackets, as in [::1]:port");
        port = text.substr(colon + 1);
    }
    return {std::string(host), parse_port(port, whole)};
}

std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
    const std::string port = std::to_string(endpoint.port());
    if (endpoint.address().is_v6()) return "[" + endpoint.address().to_string() + "]:" + port;
    return endpoint.address().to_string() + ":" + port;
}

void copy_address(const std::string& text, char* out, size_t capacity) {
    if (out == nullptr || capacity == 0) return;
    if (text.size() >= capacity)
        throw std::length_error("the bound address " + text + " does not fit in " + std::to_string(capacity) + " bytes");
    std::memcpy(out, text.c_str(), text.size() + 1);
}

}  // namespace tether::transport
