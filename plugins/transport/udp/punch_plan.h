// A punch plan (tether_punch_plan) read and bounded: the host's numbers are
// kept within what one punch may cost, and zeros take the defaults the ABI names.
#pragma once

#include "address.h"
#include "punch_packet.h"

#include <tether/plugin.h>

#include <chrono>
#include <cstdint>

namespace tether::udp {

struct PunchPlan {
    Address peer;  // PROBE_PORTS uses its IP alone
    uint32_t method = TETHER_PUNCH_DIRECT;
    bool dialer = false;
    Token token{};
    std::chrono::milliseconds timeout{10'000};
    int first_ttl = 0;           // 0: every packet with the system's TTL
    uint32_t sockets = 256;      // OPEN_SOCKETS
    uint32_t probes = 1024;      // PROBE_PORTS
    uint32_t probes_per_second = 100;
};

// Throws std::invalid_argument saying what is wrong.
PunchPlan read_plan(const tether_punch_plan& plan);

}  // namespace tether::udp
