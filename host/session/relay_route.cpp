#include "relay_route.h"

namespace tether::session {
namespace {

constexpr std::chrono::seconds kRelayDialTimeout{5};  // as the race's and the dial-back's own dials

}  // namespace

RelayRoute::RelayRoute(rendezvous::ServerAddress server, std::shared_ptr<Transport> websocket)
    : server_(std::move(server)), websocket_(std::move(websocket)) {}

std::optional<RelayRoute::Dial> RelayRoute::pick(const std::string& relay, const std::string& relay_websocket) const {
    const std::string over_websocket = rendezvous::relay_websocket_address(server_, relay_websocket);
    if (websocket_ && !over_websocket.empty())
        return Dial{over_websocket, "relay-websocket",
                    [websocket = websocket_, over_websocket] {
                        return websocket->connect(over_websocket, kRelayDialTimeout);
                    }};
    if (relay.empty()) return std::nullopt;
    return Dial{relay, "relay", {}};
}

}  // namespace tether::session
