#include "server_address.h"

#include "wire.h"

#include <stdexcept>

namespace tether::rendezvous {
namespace {

constexpr std::string_view kScheme = "ws://";
constexpr std::string_view kDefaultPath = "/rendezvous";

}  // namespace

ServerAddress parse_server_address(const std::string& text) {
    if (!text.starts_with(kScheme)) {
        const std::string server = with_default_port(text, kDefaultRendezvousPort);
        return {server, server, {}};
    }
    const std::string rest = text.substr(kScheme.size());
    const size_t slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const std::string path = slash == std::string::npos ? std::string(kDefaultPath) : rest.substr(slash);
    if (authority.empty() || path.find_first_of(" \r\n\t") != std::string::npos)
        throw std::invalid_argument("rendezvous server \"" + text + "\": expected ws://HOST[:PORT][/PATH]");
    const std::string host_port = with_default_port(authority, kDefaultWebSocketPort);
    return {std::string(kScheme) + host_port + path, host_port, path};
}

std::string relay_websocket_address(const ServerAddress& server, const std::string& relay_websocket) {
    if (!server.websocket() || relay_websocket.empty()) return {};
    return relay_websocket.starts_with('/') ? server.host_port + relay_websocket : relay_websocket;
}

}  // namespace tether::rendezvous
