// A token bucket: each request, or each byte, spends a token; tokens come back
// at a steady rate up to a burst, so a source may go fast for a moment but not
// for long. The rendezvous server counts requests per source with it, the
// relay bytes per session and in all.
//
// The rate is passed to each call rather than kept, so a table of many buckets
// that share one rate stays small.
#pragma once

#include <chrono>
#include <cstdint>

namespace tether::server {

struct Rate {
    double per_second = 1;
    double burst = 1;
    bool unlimited = false;  // every take succeeds and nothing is counted
};

// The relay's byte caps: 0 is no cap. The burst is a tenth of a second's
// worth, at least 16 KiB, so a capped copy still reads in large pieces.
Rate byte_rate(uint64_t bytes_per_s);

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(const Rate& rate, Clock::time_point now) : tokens_(rate.unlimited ? 0 : rate.burst), last_(now) {}

    // Takes a token when one is there; false, taking nothing, when not.
    bool take(const Rate& rate, Clock::time_point now);
    // The whole tokens there now (UINT64_MAX unlimited).
    uint64_t available(const Rate& rate, Clock::time_point now);
    // Spends what was used of what available() said was there; never below empty.
    void consume(const Rate& rate, uint64_t tokens);
    // How long until `tokens` (at most the burst) are there; zero when they are.
    Clock::duration time_until(const Rate& rate, uint64_t tokens, Clock::time_point now);
    // As good as a new bucket: forgetting it changes nothing.
    bool full(const Rate& rate, Clock::time_point now) const;

private:
    double refilled(const Rate& rate, Clock::time_point now) const;
    void refill(const Rate& rate, Clock::time_point now);

    double tokens_;
    Clock::time_point last_;
};

}  // namespace tether::server
