// Outbound: a TCP connection, then the WebSocket upgrade, both within one deadline.
#pragma once

#include "network_thread.h"
#include "ws_address.h"
#include "ws_stream.h"

#include <cstdint>

namespace tether::ws {

// Blocks the calling thread, which must not be the network thread, until
// the upgrade is done; timeout_ms 0 leaves the TCP connection to the system
// and gives the upgrade kDefaultUpgradeTimeout. Throws std::runtime_error
// with the reason (an HTTP status when the server declined the upgrade).
WsStream dial_websocket(transport::NetworkThread& network, const WsAddress& target, uint32_t timeout_ms);

}  // namespace tether::ws
