// The WebSocket transport: connections that upgraded from HTTP, each message
// one binary WebSocket message.
#pragma once

#include "plugin_log.h"
#include "socket_transport.h"
#include "ws_connection.h"
#include "ws_listener.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace tether::ws {

class WsTransport : public transport::SocketTransport<WsConnection, WsListener> {
public:
    using Listener = WsListener;
    using Connection = WsConnection;
    static constexpr const char* kPluginName = ws::kPluginName;

    explicit WsTransport(const tether_host_api* host) : SocketTransport(host, kPluginName) {}

    // "ip:port[/path]": upgrades to that path (default "/") become connections.
    // Writes the bound address into `bound` (when it is not empty). Throws on failure.
    WsListener* listen(std::string_view address, tether_accept_fn on_accept, void* ctx, std::span<char> bound);
    // "host:port[/path]". Blocks; never on the network thread. Throws on failure.
    WsConnection* connect(std::string_view address, uint32_t timeout_ms);
};

}  // namespace tether::ws
