#include "decoded_picture.h"

namespace tether::codec {

tether_video_frame borrowed_picture(uint32_t width, uint32_t height, uint8_t* const planes[3],
                                    const uint32_t strides[3], const tether_packet& meta) {
    tether_video_frame frame{};
    frame.struct_size = sizeof(tether_video_frame);
    frame.format = TETHER_PIXEL_I420;
    frame.width = width;
    frame.height = height;
    for (int plane = 0; plane < 3; ++plane) {
        frame.planes[plane] = planes[plane];
        frame.strides[plane] = strides[plane];
    }
    frame.buffer = nullptr;
    frame.frame_number = meta.frame_number;
    frame.capture_time_us = meta.capture_time_us;
    return frame;
}

}  // namespace tether::codec
