#include "punch_plan.h"

#include "rendezvous/wire.h"

namespace tether::session {
namespace {

// Birthday probing: 256 sockets on the varying side, random ports of its
// address probed at 100 a second from the other. 1,024 probes meet one of
// the sockets 98 times in 100; a miss would leave the session relayed for
// its whole life, so the probes go on to 2,048 (99.97 in 100), 20.5 s at most.
constexpr uint32_t kBirthdayProbes = 2048;

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
    plan.probes = kBirthdayProbes;
    return plan;
}

}  // namespace tether::session
