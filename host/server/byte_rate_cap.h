// A byte-rate cap: up to `burst` bytes at once, refilled at `rate` a second.
// The relay asks it before each read and stops reading while it is empty.
#pragma once

#include <chrono>
#include <cstdint>

namespace tether::server {

class ByteRateCap {
public:
    using Clock = std::chrono::steady_clock;

    // rate 0: no cap. The burst is a tenth of a second's worth, at least 16 KiB.
    explicit ByteRateCap(uint64_t bytes_per_s);

    bool capped() const { return rate_ > 0; }
    uint64_t burst() const { return burst_; }
    // What may be read now (UINT64_MAX uncapped).
    uint64_t available(Clock::time_point now);
    void consume(uint64_t bytes);
    // How long until `bytes` (at most the burst) are available; zero when they are.
    Clock::duration time_until(uint64_t bytes, Clock::time_point now);

private:
    void refill(Clock::time_point now);

    uint64_t rate_;
    uint64_t burst_;
    double tokens_;
    Clock::time_point refilled_;
};

}  // namespace tether::server
