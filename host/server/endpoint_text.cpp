#include "endpoint_text.h"

#include "rendezvous/host_port_text.h"

#include <stdexcept>

namespace tether::server {

namespace ip = boost::asio::ip;

ip::tcp::endpoint parse_endpoint(std::string_view text) {
    const rendezvous::HostPort parts = rendezvous::split_host_port(text);
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
