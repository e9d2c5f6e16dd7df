// The ABI table of the WebSocket transport.
#include "plugin_log.h"
#include "transport_vtable.h"
#include "ws_transport.h"

#include <tether/plugin.hpp>

namespace {

constexpr tether_transport_vtable ws_vtable = tether::transport::transport_vtable<tether::ws::WsTransport>("ws");

constexpr tether_factory ws_factory = tether::factory(
    TETHER_KIND_TRANSPORT, "ws",
    "WebSocket connections (one binary message a message), for networks that let out only web ports", 0, &ws_vtable);

}  // namespace

TETHER_PLUGIN("transport-websocket", "0.1.0", "WebSocket transport", &ws_factory)
