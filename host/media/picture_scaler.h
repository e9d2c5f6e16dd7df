// Pictures made smaller for a path too thin for their full size
// (docs/congestion.md): libyuv's box filter, which keeps text as legible as
// the smaller size can. A build without libyuv (-DTETHER_PICTURE_SCALING=OFF)
// never scales: its sessions keep the full size at any rate.
#pragma once

#include "core/media.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace tether {

// Whether this build can scale pictures.
bool can_scale_pictures();

// The size a width x height picture is coded at when each side is divided by `divisor`:
// even sides (every codec's chroma takes them whole), at least 2.
inline std::pair<uint32_t, uint32_t> scaled_size(uint32_t width, uint32_t height, uint32_t divisor) {
    if (divisor <= 1) return {width, height};
    return {std::max(2u, width / divisor & ~1u), std::max(2u, height / divisor & ~1u)};
}

// `frame` (I420 or BGRA) as an I420 picture of width x height, with its frame number,
// capture time and damage (rounded outwards to whole pixels of the smaller picture).
VideoFrame scaled(const VideoFrame& frame, uint32_t width, uint32_t height);

}  // namespace tether
