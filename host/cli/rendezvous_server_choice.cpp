#include "rendezvous_server_choice.h"

#include "core/plugin_chooser.h"

#include <stdexcept>

namespace tether::cli {

rendezvous::ServerAddress rendezvous_server_address(const std::string& text) {
    try {
        return rendezvous::parse_server_address(text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

std::shared_ptr<Transport> websocket_transport_for(const Context& context, const rendezvous::ServerAddress& server) {
    if (!server.websocket()) return nullptr;
    const Names websocket{{"ws", Source{"the rendezvous server " + server.text}}};
    return Transport::create(context.chooser->first(TETHER_KIND_TRANSPORT, websocket, carries_sessions()));
}

session::RelayRoute relay_route_for(const Context& context, const rendezvous::ServerAddress& server) {
    return {server, websocket_transport_for(context, server)};
}

}  // namespace tether::cli
