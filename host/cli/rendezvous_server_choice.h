// The rendezvous server a host or viewer was given (flag or config), and
// for one reached over WebSocket the transport its relay is dialed through.
#pragma once

#include "context.h"
#include "rendezvous/server_address.h"
#include "session/relay_route.h"

#include <memory>
#include <string>

namespace tether::cli {

// UsageError when `text` is a malformed ws:// address.
rendezvous::ServerAddress rendezvous_server_address(const std::string& text);

// transport-websocket for a server reached over WebSocket (ConfigError when
// it cannot be used here), null for one reached over TCP.
std::shared_ptr<Transport> websocket_transport_for(const Context& context, const rendezvous::ServerAddress& server);

session::RelayRoute relay_route_for(const Context& context, const rendezvous::ServerAddress& server);

}  // namespace tether::cli
