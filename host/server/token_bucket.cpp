#include "token_bucket.h"

#include <algorithm>
#include <limits>

namespace tether::server {

constexpr uint64_t kMinByteBurst = 16 * 1024;

Rate byte_rate(uint64_t bytes_per_s) {
    if (bytes_per_s == 0) return {.unlimited = true};
    return {.per_second = static_cast<double>(bytes_per_s),
            .burst = static_cast<double>(std::max(bytes_per_s / 10, kMinByteBurst))};
}

double TokenBucket::refilled(const Rate& rate, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    return std::min(rate.burst, tokens_ + std::max(0.0, elapsed) * rate.per_second);
}

// A clock read before the last one (another thread's, or a caller's stale
// `now`) adds nothing and does not move the bucket back.
void TokenBucket::refill(const Rate& rate, Clock::time_point now) {
    tokens_ = refilled(rate, now);
    last_ = std::max(last_, now);
}

bool TokenBucket::take(const Rate& rate, Clock::time_point now) {
    if (rate.unlimited) return true;
    refill(rate, now);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

uint64_t TokenBucket::available(const Rate& rate, Clock::time_point now) {
    if (rate.unlimited) return std::numeric_limits<uint64_t>::max();
    refill(rate, now);
    return static_cast<uint64_t>(tokens_);
}

void TokenBucket::consume(const Rate& rate, uint64_t tokens) {
    if (!rate.unlimited) tokens_ = std::max(0.0, tokens_ - static_cast<double>(tokens));
}

TokenBucket::Clock::duration TokenBucket::time_until(const Rate& rate, uint64_t tokens, Clock::time_point now) {
    if (rate.unlimited) return Clock::duration::zero();
    refill(rate, now);
    const double missing = std::min(static_cast<double>(tokens), rate.burst) - tokens_;
    if (missing <= 0) return Clock::duration::zero();
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(missing / rate.per_second));
}

bool TokenBucket::full(const Rate& rate, Clock::time_point now) const {
    return rate.unlimited || refilled(rate, now) >= rate.burst;
}

}  // namespace tether::server
