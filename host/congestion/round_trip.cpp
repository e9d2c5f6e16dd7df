#include "round_trip.h"

#include <optional>

namespace tether::congestion {
namespace {

constexpr size_t kMostWaiting = 256;  // pictures in flight tracked; older ones give no sample

int64_t us_of(Clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

}  // namespace

void RoundTrip::handed(uint64_t end, Clock::time_point at) {
    if (waiting_.size() == kMostWaiting) waiting_.pop_front();
    waiting_.push_back({end, at});
}

void RoundTrip::taken(uint64_t taken, Clock::time_point now) {
    // Of the pictures wholly taken, the newest waited least: it alone is a sample.
    std::optional<Clock::time_point> newest;
    while (!waiting_.empty() && waiting_.front().end <= taken) {
        newest = waiting_.front().at;
        waiting_.pop_front();
    }
    if (newest) lowest_.add(us_of(now), std::chrono::duration_cast<std::chrono::microseconds>(now - *newest).count());
}

std::chrono::microseconds RoundTrip::least() const { return std::chrono::microseconds(lowest_.lowest().value_or(0)); }

}  // namespace tether::congestion
