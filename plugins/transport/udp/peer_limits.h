// What a peer may make ENet hold for it before the transport ends its
// connection: ENet's own bounds (32 MiB of waiting data a peer, any number of
// commands held back) let a stranger pin a host's memory before any login.
#pragma once

#include "enet_datagram.h"

#include <enet/enet.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tether::udp {

// Why a datagram from `peer` ends its connection, whose largest message now is
// `limit` bytes; nullopt when ENet may read it.
std::optional<std::string> refusal_reason(const ENetPeer& peer, const EnetDatagram& datagram, uint32_t limit);

}  // namespace tether::udp
