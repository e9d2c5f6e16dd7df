// Presentation times for libvpx and libaom, in microseconds. Each picture
// lasts one frame interval at the frame rate of the moment: both libraries
// take the frame rate their rate control budgets with from these durations,
// so a new rate takes effect with the next picture, and the time base, which
// they fix when they open, never changes.
#pragma once

#include <cstdint>

namespace tether::codec {

class FrameClock {
public:
    static constexpr int ticks_per_second = 1'000'000;  // the time base is 1/ticks_per_second

    int64_t pts() const { return next_pts_; }
    static uint64_t duration(uint32_t fps) { return fps == 0 ? ticks_per_second : ticks_per_second / fps; }
    void advance(uint32_t fps) { next_pts_ += static_cast<int64_t>(duration(fps)); }

private:
    int64_t next_pts_ = 0;
};

}  // namespace tether::codec
