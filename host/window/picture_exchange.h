// Decoded pictures from the decode thread to the window thread: three
// slots, so the decoder always has one to write into and never waits, and
// the window always takes the latest whole picture (older ones are skipped).
#pragma once

#include <tether/plugin.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace tether::window {

// An I420 picture, each plane packed (Y stride = width, U and V stride = (width + 1) / 2).
struct Picture {
    uint32_t width = 0;
    uint32_t height = 0;
    // The host's screen it shows, which it may be coded smaller than: the pixels positions are in.
    uint32_t screen_width = 0;
    uint32_t screen_height = 0;
    std::vector<uint8_t> y, u, v;
    int64_t latency_us = 0;  // capture to decoded
};

class PictureExchange {
public:
    // Decode thread: copies an I420 picture, whose planes need only be valid during the call.
    void publish(const tether_video_frame& frame, uint32_t screen_width, uint32_t screen_height, int64_t latency_us);
    // Window thread: the latest picture, when one came since the last take; else nullptr.
    // It stays valid until the next take().
    const Picture* take();
    uint64_t published() const { return published_; }  // pictures handed over so far

private:
    static constexpr unsigned kFresh = 4;  // in middle_: its slot holds a picture not yet taken
    std::array<Picture, 3> slots_;
    unsigned writing_ = 0;            // decode thread's slot
    unsigned reading_ = 1;            // window thread's slot
    std::atomic<unsigned> middle_{2};  // the slot between them, | kFresh
    std::atomic<uint64_t> published_{0};
};

}  // namespace tether::window
