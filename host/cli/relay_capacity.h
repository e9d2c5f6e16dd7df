// `tether bench relay`, part two: many sessions paired at once, each passing
// a few bytes both ways, and what they cost the relay in memory (the bench
// process's resident set grows by the relay's part alone: its peers hold
// nothing but descriptors).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tether::cli {

struct RelayCapacity {
    size_t requested = 0;
    size_t ran = 0;               // fewer when the descriptor limit allows no more
    uint64_t descriptor_limit = 0;  // the hard RLIMIT_NOFILE, which an unprivileged process cannot raise
    uint64_t descriptors_needed = 0;
    double setup_s = 0;           // pairing them all, one after another
    double rss_before_mb = 0;     // the relay running, no session yet
    double rss_after_mb = 0;      // with every session open
};

RelayCapacity measure_relay_capacity(size_t sessions);

}  // namespace tether::cli
