#include "peer_limits.h"

#include "wire.h"

#include <cstddef>

namespace tether::udp {
namespace {

// Messages a peer may have in assembly at once, each within its limit: ENet
// alone lets every peer hold 32 MiB of fragments, a stranger's included.
constexpr uint64_t kMostWaitingMessages = 4;
constexpr uint64_t kWaitingSlack = 64u << 10;
// Commands ENet holds for a peer until an earlier one arrives, whatever their
// size: each costs ENet about 200 bytes, an empty one too, which its own
// byte count misses. A real peer's gap holds back a window's worth (64 KiB
// of reliable data, the video behind it): hundreds.
constexpr size_t kMostQueuedCommands = 4096;

// How many commands ENet holds for `peer`, counted up to `most` (a list may be long).
size_t queued_commands(const ENetPeer& peer, size_t most) {
    size_t count = 0;
    for (size_t c = 0; c < peer.channelCount; ++c) {
        for (const ENetList* list : {&peer.channels[c].incomingReliableCommands, &peer.channels[c].incomingUnreliableCommands}) {
            for (auto* at = list->sentinel.next; at != &list->sentinel && count <= most; at = at->next) ++count;
        }
    }
    return count;
}

}  // namespace

std::optional<std::string> refusal_reason(const ENetPeer& peer, const EnetDatagram& datagram, uint32_t limit) {
    if (datagram.unsound_fragment) return "the peer sent a fragment with more pieces than bytes";
    if (datagram.sends > 0 && queued_commands(peer, kMostQueuedCommands) + datagram.sends > kMostQueuedCommands)
        return "the peer has more than " + std::to_string(kMostQueuedCommands) + " messages held back out of order";
    const uint32_t announced = datagram.largest_message;
    if (announced > limit) return too_large_reason(announced, limit);
    const uint64_t waiting = uint64_t{peer.totalWaitingData} + announced;
    const uint64_t most_waiting = kMostWaitingMessages * limit + kWaitingSlack;
    if (waiting <= most_waiting) return std::nullopt;
    return "the peer has more than " + std::to_string(most_waiting) + " bytes of unfinished messages";
}

}  // namespace tether::udp
