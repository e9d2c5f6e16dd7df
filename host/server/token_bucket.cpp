#include "token_bucket.h"

#include <algorithm>

namespace tether::server {

double TokenBucket::refilled(const Rate& rate, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    return std::min(rate.burst, tokens_ + std::max(0.0, elapsed) * rate.per_second);
}

bool TokenBucket::take(const Rate& rate, Clock::time_point now) {
    tokens_ = refilled(rate, now);
    last_ = std::max(last_, now);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

bool TokenBucket::full(const Rate& rate, Clock::time_point now) const { return refilled(rate, now) >= rate.burst; }

}  // namespace tether::server
