// What a viewer measured of its path since its last report (docs/congestion.md).
#pragma once

#include <chrono>
#include <cstdint>

namespace tether::congestion {

using Clock = std::chrono::steady_clock;

struct PathReport {
    std::chrono::microseconds interval{0};
    uint64_t bytes = 0;      // media bytes received
    uint32_t pictures = 0;   // pictures received
    uint32_t lost = 0;       // pictures it gave up on
    double delay_slope_ms_per_s = 0;
    std::chrono::microseconds queue_delay{0};
    uint64_t newest_sequence = 0;  // the newest picture the delays cover; 0: unknown
};

}  // namespace tether::congestion
