// A token bucket: requests spend one token each; tokens come back at a steady
// rate up to a burst, so a source may go fast for a moment but not for long.
#pragma once

#include <chrono>

namespace tether::server {

struct Rate {
    double per_second = 1;
    double burst = 1;
};

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(const Rate& rate, Clock::time_point now) : tokens_(rate.burst), last_(now) {}

    // Takes a token when one is there; false, taking nothing, when not.
    bool take(const Rate& rate, Clock::time_point now);
    // As good as a new bucket: forgetting it changes nothing.
    bool full(const Rate& rate, Clock::time_point now) const;

private:
    double refilled(const Rate& rate, Clock::time_point now) const;

    double tokens_;
    Clock::time_point last_;
};

}  // namespace tether::server
