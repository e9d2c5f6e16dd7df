// What a frame's damage (ABI 1.4) means to an encoder: the rectangles to
// convert, clipped and widened to even pixels for 4:2:0, and an active map of
// 16x16 blocks (libvpx's), in which only blocks near a change are coded (the
// rest are copied from the picture before at no cost but a skip flag).
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <span>
#include <vector>

namespace tether::codec {

// The frame's damaged rectangles, or none when all of it counts (no damage
// given, or a host older than ABI 1.4).
std::span<const tether_rect> damage_of(const tether_video_frame& frame);

// Each rectangle inside the picture with even edges; empty ones dropped.
std::vector<tether_rect> even_rectangles(std::span<const tether_rect> damage, uint32_t width, uint32_t height);

// One byte per 16x16 block, row by row: 1 where a block holds part of a change.
std::vector<uint8_t> active_blocks(std::span<const tether_rect> damage, uint32_t width, uint32_t height);

}  // namespace tether::codec
