// How a peer dials the relay its rendezvous server names: over its session
// transport at Found/Incoming `relay`, or, when it reached that server over
// WebSocket and the relay takes WebSocket peers, over transport-websocket at
// `relay_websocket`: a network that let only WebSocket through to the server
// would not let the relay's TCP port through either.
#pragma once

#include "core/plugin_objects.h"
#include "rendezvous/server_address.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tether::session {

class RelayRoute {
public:
    RelayRoute() = default;  // the session transport, always
    // `websocket`: transport-websocket, for a server reached over WebSocket.
    RelayRoute(rendezvous::ServerAddress server, std::shared_ptr<Transport> websocket);

    struct Dial {
        std::string address;
        std::string path;  // "relay", or "relay-websocket": as a viewer's summary names it
        // Opens the connection; empty: the session transport connects to `address`.
        std::function<std::unique_ptr<Connection>()> open;
    };
    // Where to dial the relay named so; nullopt when none was named.
    std::optional<Dial> pick(const std::string& relay, const std::string& relay_websocket) const;

private:
    rendezvous::ServerAddress server_;
    std::shared_ptr<Transport> websocket_;
};

}  // namespace tether::session
