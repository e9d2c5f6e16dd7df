#include "server_address.h"

#include "host_port_text.h"
#include "wire.h"

#include <stdexcept>

namespace tether::rendezvous {
namespace {

constexpr std::string_view kScheme = "ws://";
constexpr std::string_view kDefaultPath = "/rendezvous";

// "host[:port]" with the default port filled in, checked as the dial will read it.
std::string checked_host_port(const std::string& text, const std::string& authority, uint16_t default_port) {
    const std::string host_port = with_default_port(authority, default_port);
    try {
        if (split_host_port(host_port).port == 0) throw std::invalid_argument("port 0 cannot be dialed");
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("rendezvous server \"" + text + "\": " + e.what());
    }
    return host_port;
}

}  // namespace

ServerAddress parse_server_address(const std::string& text) {
    if (text.starts_with("wss://"))
        throw std::invalid_argument("rendezvous server \"" + text +
                                    "\": Tether speaks ws:// (what it sends is sealed end to end; a TLS proxy in front "
                                    "serves wss:// to others, docs/deployment.md)");
    if (!text.starts_with(kScheme)) {
        if (text.find("://") != std::string::npos)
            throw std::invalid_argument("rendezvous server \"" + text + "\": expected HOST[:PORT] or ws://HOST[:PORT][/PATH]");
        const std::string server = checked_host_port(text, text, kDefaultRendezvousPort);
        return {server, server, {}};
    }
    const std::string rest = text.substr(kScheme.size());
    const size_t slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const std::string path = slash == std::string::npos ? std::string(kDefaultPath) : rest.substr(slash);
    if (authority.empty() || path.find_first_of(" \r\n\t") != std::string::npos)
        throw std::invalid_argument("rendezvous server \"" + text + "\": expected ws://HOST[:PORT][/PATH]");
    const std::string host_port = checked_host_port(text, authority, kDefaultWebSocketPort);
    return {std::string(kScheme) + host_port + path, host_port, path};
}

std::string relay_websocket_address(const ServerAddress& server, const std::string& relay_websocket) {
    if (!server.websocket() || relay_websocket.empty()) return {};
    return relay_websocket.starts_with('/') ? server.host_port + relay_websocket : relay_websocket;
}

}  // namespace tether::rendezvous
