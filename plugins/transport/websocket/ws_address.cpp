#include "ws_address.h"

#include <algorithm>

namespace tether::ws {
namespace {

constexpr size_t kMaxPath = 256;

// The path goes into the request line: visible ASCII only, so nothing can
// end the line or add a header.
bool is_path_text(std::string_view path) {
    return path.size() <= kMaxPath && path.starts_with('/') &&
           std::all_of(path.begin(), path.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

WsAddress parse_ws_address(std::string_view address) {
    std::string_view rest = address;
    if (rest.starts_with("ws://")) rest.remove_prefix(5);
    // A path starts at the first '/'; an IPv6 address has none.
    const size_t slash = rest.find('/');
    WsAddress parsed;
    if (slash != std::string_view::npos) {
        const std::string_view path = rest.substr(slash);
        if (!is_path_text(path))
            transport::reject_address(address, "the path must be at most 256 visible ASCII characters");
        parsed.path = std::string(path);
        rest = rest.substr(0, slash);
    }
    parsed.where = transport::parse_host_port(rest, address);
    return parsed;
}

std::string host_header(const transport::HostPort& where) {
    const bool v6 = where.host.find(':') != std::string::npos;
    return (v6 ? "[" + where.host + "]" : where.host) + ":" + std::to_string(where.port);
}

}  // namespace tether::ws
