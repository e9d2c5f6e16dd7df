// What the hardware codec tests build again and again: a configuration,
// and frames over pixels the test owns.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <vector>

namespace tether::test {

inline tether_encoder_config hw_config(uint32_t width, uint32_t height, uint32_t fps, uint32_t kbps,
                                       int32_t speed = -1) {
    return {.struct_size = sizeof(tether_encoder_config),
            .width = width,
            .height = height,
            .fps = fps,
            .bitrate_kbps = kbps,
            .threads = 0,
            .speed = speed};
}

// Tightly packed BGRA over `pixels` (width * height * 4 bytes).
inline tether_video_frame bgra_frame(std::vector<uint8_t>& pixels, uint32_t width, uint32_t height) {
    tether_video_frame frame{};
    frame.struct_size = sizeof frame;
    frame.format = TETHER_PIXEL_BGRA;
    frame.width = width;
    frame.height = height;
    frame.planes[0] = pixels.data();
    frame.strides[0] = width * 4;
    return frame;
}

// Tightly packed I420 over three planes (chroma rounded up for odd sizes).
inline tether_video_frame i420_frame(std::vector<uint8_t>& y, std::vector<uint8_t>& u, std::vector<uint8_t>& v,
                                     uint32_t width, uint32_t height) {
    tether_video_frame frame{};
    frame.struct_size = sizeof frame;
    frame.format = TETHER_PIXEL_I420;
    frame.width = width;
    frame.height = height;
    frame.planes[0] = y.data();
    frame.planes[1] = u.data();
    frame.planes[2] = v.data();
    frame.strides[0] = width;
    frame.strides[1] = frame.strides[2] = (width + 1) / 2;
    return frame;
}

}  // namespace tether::test
