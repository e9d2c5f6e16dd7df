#include "relay_capacity.h"

#include "process_stats.h"
#include "relay_bench_peer.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

namespace tether::cli {
namespace {

// Per session: the relay's two sockets and the two peers' (the relay's pipes
// are pooled and held only while bytes are in flight).
constexpr uint64_t kDescriptorsPerSession = 4;
constexpr uint64_t kSpareDescriptors = 256;  // the process's own, and the relay's free pipes

// Raises the soft descriptor limit to the hard one; returns it.
uint64_t raise_descriptor_limit_to_hard() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

// The host says four bytes, the viewer answers four.
void exchange(const PairedPeers& peers) {
    static constexpr std::array<uint8_t, 4> ping{'p', 'i', 'n', 'g'}, pong{'p', 'o', 'n', 'g'};
    std::array<uint8_t, 4> got{};
    peers.host.write_all(ping);
    peers.viewer.read_exactly(got);
    if (got != ping) throw std::runtime_error("the relay changed the bytes");
    peers.viewer.write_all(pong);
    peers.host.read_exactly(got);
    if (got != pong) throw std::runtime_error("the relay changed the bytes");
}

}  // namespace

RelayCapacity measure_relay_capacity(size_t sessions) {
    RelayCapacity figures;
    figures.requested = sessions;
    figures.descriptor_limit = raise_descriptor_limit_to_hard();
    figures.descriptors_needed = sessions * kDescriptorsPerSession + kSpareDescriptors;
    const uint64_t room = figures.descriptor_limit > kSpareDescriptors
                              ? (figures.descriptor_limit - kSpareDescriptors) / kDescriptorsPerSession
                              : 0;
    figures.ran = static_cast<size_t>(std::min<uint64_t>(sessions, room));

    BenchRelay relay(true);
    std::vector<PairedPeers> open;
    open.reserve(figures.ran);
    figures.rss_before_mb = rss_mb();
    const auto began = std::chrono::steady_clock::now();
    for (size_t i = 0; i < figures.ran; ++i) {
        open.push_back(relay.pair());
        exchange(open.back());
    }
    figures.setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    figures.rss_after_mb = rss_mb();
    if (relay.sessions() != figures.ran) throw std::runtime_error("the relay lost sessions while they were set up");
    return figures;
}

}  // namespace tether::cli
