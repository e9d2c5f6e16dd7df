#include "byte_rate_cap.h"

#include <algorithm>
#include <limits>

namespace tether::server {

constexpr uint64_t kMinBurst = 16 * 1024;

ByteRateCap::ByteRateCap(uint64_t bytes_per_s)
    : rate_(bytes_per_s),
      burst_(std::max(bytes_per_s / 10, kMinBurst)),
      tokens_(static_cast<double>(burst_)),
      refilled_(Clock::now()) {}

void ByteRateCap::refill(Clock::time_point now) {
    if (now <= refilled_) return;
    const double seconds = std::chrono::duration<double>(now - refilled_).count();
    tokens_ = std::min(static_cast<double>(burst_), tokens_ + seconds * static_cast<double>(rate_));
    refilled_ = now;
}

uint64_t ByteRateCap::available(Clock::time_point now) {
    if (!capped()) return std::numeric_limits<uint64_t>::max();
    refill(now);
    return static_cast<uint64_t>(tokens_);
}

void ByteRateCap::consume(uint64_t bytes) {
    if (capped()) tokens_ = std::max(0.0, tokens_ - static_cast<double>(bytes));
}

ByteRateCap::Clock::duration ByteRateCap::time_until(uint64_t bytes, Clock::time_point now) {
    if (!capped()) return Clock::duration::zero();
    refill(now);
    const double missing = static_cast<double>(std::min(bytes, burst_)) - tokens_;
    if (missing <= 0) return Clock::duration::zero();
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(missing / static_cast<double>(rate_)));
}

}  // namespace tether::server
