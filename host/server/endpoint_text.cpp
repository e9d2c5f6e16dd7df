#include "endpoint_text.h"

#include <charconv>
#include <stdexcept>

namespace tether::server {

namespace ip = boost::asio::ip;

HostPort split_host_port(std::string_view text) {
    const auto bad = [&](const std::string& why) {
        return std::invalid_argument("address \"" + std::string(text) + "\": " + why);
    };
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) throw bad("no port (write host:port)");
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
        throw bad("the port is not a number from 0 to 65535");
    std::string_view host = text.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    if (host.empty()) throw bad("no host");
    return {std::string(host), static_cast<uint16_t>(port)};
}

ip::tcp::endpoint parse_endpoint(std::string_view text) {
    const HostPort parts = split_host_port(text);
    boost::system::error_code ec;
    const auto address = ip::make_address(parts.host, ec);
    if (ec) throw std::invalid_argument("address \"" + std::string(text) + "\": not a numeric IP address");
    return {address, parts.port};
}

std::string format_endpoint(const ip::address& address, uint16_t port) {
    const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(port);
}

ip::address plain_address(const ip::address& address) {
    if (address.is_v4()) return address;
    ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6);
    v6.scope_id(0);
    return v6;
}

std::string endpoint_text(const ip::address& address, uint16_t port) {
    return format_endpoint(plain_address(address), port);
}

}  // namespace tether::server
