// The viewer's view of queueing on the path: from each picture's send time
// (host clock) and arrival time (viewer clock), the trend of the one-way delay
// (a least-squares slope over the last second, in ms of delay per second: the
// clocks' offset cancels out) and how far the delay is above the lowest seen in
// the last ten seconds (the queue the path holds now). docs/congestion.md.
#pragma once

#include "recent_low.h"

#include <chrono>
#include <cstdint>
#include <deque>

namespace tether::congestion {

class DelayTrend {
public:
    // One picture: when the host sent it (its clock) and when it arrived (ours), in µs.
    void add(int64_t sent_us, int64_t arrived_us);
    // Milliseconds of delay gained per second over the window; 0 with fewer than 3 samples.
    double slope_ms_per_s() const;
    // The latest delay, smoothed, above the lowest of the last ten seconds.
    std::chrono::microseconds queue_delay() const;

private:
    struct Sample {
        int64_t arrived_us;
        int64_t delay_us;  // arrived - sent: includes the clocks' offset
    };
    std::deque<Sample> window_;  // the last second's samples, at most kMostSamples
    RecentLow lowest_{10};       // of the delay, over the last ten seconds
    double smoothed_us_ = 0;
    bool have_smoothed_ = false;
};

}  // namespace tether::congestion
