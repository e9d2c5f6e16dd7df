#include "hw_test_encode.h"

#include <tether/i420.hpp>

namespace tether::hw {

tether_encoder_config test_config() {
    return tether_encoder_config{
        .struct_size = sizeof(tether_encoder_config),
        .width = test_side,
        .height = test_side,
        .fps = 30,
        .bitrate_kbps = 0,
        .threads = 0,
        .speed = -1,
    };
}

TestPicture::TestPicture() {
    const i420::Layout layout = i420::layout(test_side, test_side);
    pixels_.assign(layout.total_bytes(), 128);
    for (uint32_t y = 0; y < test_side; ++y)
        for (uint32_t x = 0; x < test_side; ++x) pixels_[size_t{y} * test_side + x] = static_cast<uint8_t>(x + y);
    frame_.struct_size = sizeof frame_;
    frame_.format = TETHER_PIXEL_I420;
    frame_.width = test_side;
    frame_.height = test_side;
    frame_.planes[0] = pixels_.data();
    frame_.planes[1] = pixels_.data() + layout.luma_bytes();
    frame_.planes[2] = frame_.planes[1] + layout.chroma_bytes();
    frame_.strides[0] = test_side;
    frame_.strides[1] = layout.chroma_width;
    frame_.strides[2] = layout.chroma_width;
}

}  // namespace tether::hw
