#include "path_meter.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace tether::congestion {

void PathMeter::picture(uint64_t path, uint64_t sequence, int64_t sent_us, int64_t arrived_us, size_t bytes) {
    std::lock_guard lock(mutex_);
    bytes_ += bytes;
    ++pictures_;
    if (path != path_) {
        path_ = path;
        highest_sequence_ = 0;
        delay_ = DelayTrend{};  // a new path has a delay of its own: a longer one is no queue
    }
    if (sequence <= highest_sequence_) return;  // sent again: its delay is the wait for the resend
    highest_sequence_ = sequence;
    delay_.add(sent_us, arrived_us);
}

void PathMeter::patch(size_t bytes) {
    std::lock_guard lock(mutex_);
    bytes_ += bytes;
}

PathReport PathMeter::take(Clock::time_point now, uint64_t lost_so_far) {
    std::lock_guard lock(mutex_);
    PathReport report;
    report.interval = std::chrono::duration_cast<std::chrono::microseconds>(now - taken_at_);
    report.bytes = std::exchange(bytes_, 0);
    report.pictures = std::exchange(pictures_, 0);
    report.lost = static_cast<uint32_t>(std::min<uint64_t>(lost_so_far - std::min(lost_so_far, lost_reported_), UINT32_MAX));
    lost_reported_ = std::max(lost_reported_, lost_so_far);
    report.delay_slope_ms_per_s = delay_.slope_ms_per_s();
    report.queue_delay = delay_.queue_delay();
    report.newest_sequence = highest_sequence_;
    taken_at_ = now;
    return report;
}

}  // namespace tether::congestion
