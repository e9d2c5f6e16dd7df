// Which way two peers punch UDP, from how each one's NAT maps ports
// (docs/connectivity.md): both keeping a port per socket punch straight at
// each other's address; one keeping and one varying meet by the birthday
// trick — the varying side opens many sockets toward the keeping side, which
// probes random ports of the varying side's address; both varying is left to
// the relay (tens of thousands of probes a side).
#pragma once

#include "core/plugin_objects.h"
#include "rendezvous.pb.h"
#include "udp_mapping.h"

#include <chrono>
#include <optional>
#include <string>

namespace tether::session {

// How long a punch may run: long enough for birthday probing's 2,048 probes
// at 100 a second, and a round trip after the last.
constexpr std::chrono::seconds kPunchTimeout{22};

// nullopt when no punch is worth trying.
std::optional<PunchPlan> punch_plan(const UdpMapping& mine, const proto::UdpCandidate& peer, const std::string& token,
                                    uint32_t role);

}  // namespace tether::session
