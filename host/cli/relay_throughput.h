// `tether bench relay`, part one: one stream pushed as fast as it goes
// through the relay on loopback, with splice(2) and with a userspace buffer,
// beside the same copy by socat; rounds alternate and each keeps its best.
#pragma once

#include <chrono>
#include <cstdint>

namespace tether::cli {

struct RelayThroughput {
    double splice_mb_s = 0;
    double buffer_mb_s = 0;
    double socat_mb_s = 0;
    // The relay's CPU for each gigabyte carried, in the same best rounds.
    double splice_cpu_s_per_gb = 0;
    double buffer_cpu_s_per_gb = 0;
};

// Throws std::runtime_error when a stream cannot be set up (socat missing, a port taken).
RelayThroughput measure_relay_throughput(std::chrono::seconds per_stream, uint32_t rounds);

}  // namespace tether::cli
