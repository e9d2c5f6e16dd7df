#include "punch_plan.h"

#include "rendezvous/wire.h"

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// Long enough for the birthday probes (at 100 a second) to reach their odds.
constexpr auto kPunchTimeout = 15s;

}  // namespace

std::optional<PunchPlan> punch_plan(const UdpMapping& mine, const proto::UdpCandidate& peer, const std::string& token,
                                    uint32_t role) {
    if (!rendezvous::is_endpoint_text(peer.addr()) || token.size() != rendezvous::kPunchTokenSize) return std::nullopt;
    if (mine.varies && peer.varies()) return std::nullopt;
    PunchPlan plan;
    plan.peer_address = peer.addr();
    plan.method = mine.varies    ? TETHER_PUNCH_OPEN_SOCKETS
                  : peer.varies() ? TETHER_PUNCH_PROBE_PORTS
                                  : TETHER_PUNCH_DIRECT;
    plan.role = role;
    plan.token.assign(token.begin(), token.end());
    plan.timeout = kPunchTimeout;
    return plan;
}

}  // namespace tether::session
