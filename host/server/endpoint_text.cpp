#include "endpoint_text.h"

#include <charconv>

namespace tether::server {

namespace ip = boost::asio::ip;

ip::address plain_address(const ip::address& address) {
    if (address.is_v4()) return address;
    ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6);
    v6.scope_id(0);
    return v6;
}

std::string endpoint_text(const ip::address& address, uint16_t port) {
    const ip::address plain = plain_address(address);
    const std::string host = plain.is_v6() ? "[" + plain.to_string() + "]" : plain.to_string();
    return host + ":" + std::to_string(port);
}

std::optional<BindAddress> parse_bind_address(std::string_view text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
        return std::nullopt;
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    const ip::address address = ip::make_address(std::string(host), ec);
    if (ec) return std::nullopt;
    return BindAddress{address, static_cast<uint16_t>(port)};
}

}  // namespace tether::server
