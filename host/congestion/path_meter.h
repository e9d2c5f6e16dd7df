// The viewer's side of congestion control: what came since the last report
// (media bytes, fresh pictures, their one-way delays), measured as messages
// arrive, on the transport's thread, before any queue of the viewer's own.
#pragma once

#include "delay_trend.h"
#include "path_report.h"

#include <mutex>

namespace tether::congestion {

class PathMeter {
public:
    // [thread-safe] A picture of `path` numbered `sequence` (from 1 on each path),
    // sent at `sent_us` by the host's clock, here at `arrived_us` by ours. One
    // sent again (a lower sequence than seen) counts its bytes, not its delay.
    void picture(uint64_t path, uint64_t sequence, int64_t sent_us, int64_t arrived_us, size_t bytes);
    void patch(size_t bytes);  // [thread-safe]
    // [thread-safe] What came since the last call; `lost_so_far`: pictures given up on since the start.
    PathReport take(Clock::time_point now, uint64_t lost_so_far);

private:
    std::mutex mutex_;
    DelayTrend delay_;
    uint64_t path_ = 0;
    uint64_t highest_sequence_ = 0;
    uint64_t bytes_ = 0;
    uint32_t pictures_ = 0;
    uint64_t lost_reported_ = 0;
    Clock::time_point taken_at_ = Clock::now();
};

}  // namespace tether::congestion
