#include "host_port_text.h"

#include <charconv>
#include <stdexcept>

namespace tether::rendezvous {

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
    if (host.find_first_of("[]") != std::string_view::npos) throw bad("unbalanced brackets");
    return {std::string(host), static_cast<uint16_t>(port)};
}

}  // namespace tether::rendezvous
