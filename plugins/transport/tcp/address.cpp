#include "address.h"

#include <charconv>
#include <stdexcept>

namespace tether::tcp {
namespace {

[[noreturn]] void reject(std::string_view address, std::string_view why) {
    throw std::invalid_argument("bad address '" + std::string(address) + "': " + std::string(why));
}

uint16_t parse_port(std::string_view text, std::string_view address) {
    if (text.empty()) reject(address, "missing port");
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > 65535)
        reject(address, "port must be a number from 0 to 65535");
    return static_cast<uint16_t>(value);
}

}  // namespace

HostPort parse_address(std::string_view address) {
    std::string_view rest = address;
    if (rest.starts_with("tcp://")) rest.remove_prefix(6);

    std::string_view host;
    std::string_view port;
    if (rest.starts_with('[')) {
        const size_t close = rest.find(']');
        if (close == std::string_view::npos) reject(address, "missing ']' after the IPv6 address");
        host = rest.substr(1, close - 1);
        rest.remove_prefix(close + 1);
        if (!rest.starts_with(':')) reject(address, "missing port");
        port = rest.substr(1);
    } else {
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) reject(address, "missing port");
        host = rest.substr(0, colon);
        if (host.find(':') != std::string_view::npos) reject(address, "an IPv6 address needs brackets, as in [::1]:port");
        port = rest.substr(colon + 1);
    }
    return {std::string(host), parse_port(port, address)};
}

std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
    const std::string port = std::to_string(endpoint.port());
    if (endpoint.address().is_v6()) return "[" + endpoint.address().to_string() + "]:" + port;
    return endpoint.address().to_string() + ":" + port;
}

}  // namespace tether::tcp
