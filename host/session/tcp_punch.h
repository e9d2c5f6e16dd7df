// A TCP dial from this side's listening port to the peer's public address,
// which the peer makes toward ours at the same moment: through two
// port-preserving NATs the two SYNs cross and open one connection (a
// simultaneous open; docs/connectivity.md). The first SYN goes with a small
// TTL so it opens our NAT's mapping without reaching the peer's NAT, whose
// mapping a SYN arriving too early would spoil.
#pragma once

#include "core/plugin_objects.h"

#include <functional>
#include <memory>
#include <string>

namespace tether::session {

// A hop past our NAT, short of the peer's.
constexpr uint32_t kPunchFirstTtl = 2;

// How a race or a dial-back opens that connection; empty when the transport
// cannot dial from a given port.
std::function<std::unique_ptr<Connection>()> tcp_punch(std::shared_ptr<Transport> transport,
                                                       const std::string& listening, const std::string& peer_public);

}  // namespace tether::session
