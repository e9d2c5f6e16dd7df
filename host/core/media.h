// Frames and encoded packets as the host passes them around: the C structs
// of the ABI plus an owned buffer reference.
#pragma once

#include "buffer.h"

#include <tether/plugin.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tether {

inline bool same_rect(const tether_rect& a, const tether_rect& b) {
    return a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height;
}

struct VideoFrame {
    tether_video_frame raw{};  // raw.buffer == buffer.get(); raw.damage points into `damage`
    BufferRef buffer;
    // What changed since the picture before, shared by every copy; null: all of it may have.
    std::shared_ptr<const std::vector<tether_rect>> damage;

    // Takes over the reference in `frame.buffer`, and copies its damage (ABI 1.4).
    static VideoFrame adopt(const tether_video_frame& frame);
    // From now on the whole picture counts as changed (one before it was not seen).
    void forget_damage();
    // These count as changed too (unless the whole picture does already).
    void add_damage(const std::vector<tether_rect>& more);
    // Allocates an I420 frame of the given size with tightly packed planes.
    static VideoFrame allocate_i420(uint32_t width, uint32_t height);
    uint32_t width() const { return raw.width; }
    uint32_t height() const { return raw.height; }
};

struct EncodedPacket {
    BufferRef data;
    uint32_t flags = 0;
    uint64_t frame_number = 0;
    int64_t capture_time_us = 0;
    uint32_t width = 0;
    uint32_t height = 0;
    // The screen's size, when the picture is coded smaller than it (0: width and height).
    uint32_t screen_width = 0;
    uint32_t screen_height = 0;
    bool patch = false;  // not the codec's: a screen patch (patch/screen_patch.h)

    bool keyframe() const { return (flags & TETHER_PACKET_KEYFRAME) != 0; }
    static EncodedPacket share(const tether_packet& packet);  // adds a reference to the packet's buffer
    tether_packet as_abi() const;                              // borrows data
};

}  // namespace tether
