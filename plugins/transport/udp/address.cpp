#include "address.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <charconv>
#include <memory>
#include <stdexcept>

namespace tether::udp {
namespace {

[[noreturn]] void reject(std::string_view address, std::string_view why) {
    throw std::invalid_argument("bad address '" + std::string(address) + "': " + std::string(why));
}

struct HostPort {
    std::string host;
    uint16_t port = 0;
};

HostPort split(std::string_view address) {
    std::string_view rest = address;
    if (rest.starts_with("udp://")) rest.remove_prefix(6);
    if (rest.starts_with('[')) reject(address, "IPv6 is not supported by the UDP transport");
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) reject(address, "missing port");
    const std::string_view host = rest.substr(0, colon);
    if (host.find(':') != std::string_view::npos) reject(address, "IPv6 is not supported by the UDP transport");
    const std::string_view port = rest.substr(colon + 1);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || value > 65535)
        reject(address, "port must be a number from 0 to 65535");
    return {std::string(host), static_cast<uint16_t>(value)};
}

}  // namespace

Address parse_address(std::string_view text) {
    const HostPort where = split(text);
    if (where.host.empty()) return {htonl(INADDR_ANY), where.port};
    in_addr ip{};
    if (inet_pton(AF_INET, where.host.c_str(), &ip) != 1) reject(text, "not an IPv4 address");
    return {ip.s_addr, where.port};
}

Address resolve_address(std::string_view text) {
    const HostPort where = split(text);
    if (where.host.empty()) reject(text, "missing host");
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (const int error = getaddrinfo(where.host.c_str(), nullptr, &hints, &found); error != 0)
        throw std::runtime_error("cannot resolve '" + where.host + "': " + gai_strerror(error));
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
    const auto* ip = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
    return {ip->sin_addr.s_addr, where.port};
}

std::string format_address(const Address& address) {
    char text[INET_ADDRSTRLEN] = {};
    const in_addr ip{address.ip};
    inet_ntop(AF_INET, &ip, text, sizeof text);
    return std::string(text) + ":" + std::to_string(address.port);
}

sockaddr_in to_sockaddr(const Address& address) {
    sockaddr_in raw{};
    raw.sin_family = AF_INET;
    raw.sin_addr.s_addr = address.ip;
    raw.sin_port = htons(address.port);
    return raw;
}

Address from_sockaddr(const sockaddr_in& address) { return {address.sin_addr.s_addr, ntohs(address.sin_port)}; }

}  // namespace tether::udp
