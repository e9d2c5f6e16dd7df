#include "punch_plan.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tether::udp {
namespace {

constexpr uint32_t kMostSockets = 1024;
constexpr uint32_t kMostProbes = 65535;  // every port once
constexpr uint32_t kMostProbesPerSecond = 100'000;
constexpr std::chrono::minutes kLongestTimeout{10};

uint32_t or_default(uint32_t value, uint32_t fallback, uint32_t most) { return std::min(value == 0 ? fallback : value, most); }

}  // namespace

PunchPlan read_plan(const tether_punch_plan& raw) {
    if (!TETHER_HAS_FIELD(&raw, tether_punch_plan, probes_per_second))
        throw std::invalid_argument("the punch plan is shorter than ABI 1.5's");
    if (raw.peer_address == nullptr) throw std::invalid_argument("the punch plan has no peer address");
    if (raw.method > TETHER_PUNCH_OPEN_SOCKETS)
        throw std::invalid_argument("unknown punch method " + std::to_string(raw.method));
    if (raw.role != TETHER_PUNCH_ACCEPTOR && raw.role != TETHER_PUNCH_DIALER)
        throw std::invalid_argument("unknown punch role " + std::to_string(raw.role));
    if (raw.token == nullptr || raw.token_size != kTokenSize)
        throw std::invalid_argument("a punch token has " + std::to_string(kTokenSize) + " bytes, not " +
                                    std::to_string(raw.token == nullptr ? 0 : raw.token_size));
    if (raw.first_ttl > 255) throw std::invalid_argument("first_ttl must be 0 to 255");

    PunchPlan plan;
    plan.peer = parse_address(raw.peer_address);
    if (plan.peer.ip == 0) throw std::invalid_argument("the peer address has no host");
    if (plan.peer.port == 0 && raw.method != TETHER_PUNCH_PROBE_PORTS)
        throw std::invalid_argument("the peer address has no port");
    plan.method = raw.method;
    plan.dialer = raw.role == TETHER_PUNCH_DIALER;
    std::copy_n(raw.token, kTokenSize, plan.token.begin());
    if (raw.timeout_ms != 0)
        plan.timeout = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(raw.timeout_ms), kLongestTimeout);
    plan.first_ttl = static_cast<int>(raw.first_ttl);
    plan.sockets = or_default(raw.sockets, plan.sockets, kMostSockets);
    plan.probes = or_default(raw.probes, plan.probes, kMostProbes);
    plan.probes_per_second = or_default(raw.probes_per_second, plan.probes_per_second, kMostProbesPerSecond);
    return plan;
}

}  // namespace tether::udp
