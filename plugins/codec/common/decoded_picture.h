// A decoder's picture as the host gets it.
#pragma once

#include <tether/plugin.h>

#include <cstdint>

namespace tether::codec {

// What every decoder outputs: 8-bit I420.
inline constexpr uint32_t decoded_formats = TETHER_PIXEL_BIT(TETHER_PIXEL_I420);

// An I420 picture whose planes the library lends until the sink returns
// (no buffer), with the number and capture time of the packet it came from.
tether_video_frame borrowed_picture(uint32_t width, uint32_t height, uint8_t* const planes[3],
                                    const uint32_t strides[3], const tether_packet& meta);

}  // namespace tether::codec
