// An encoder's pictures from the host's frames, as every codec plugin takes
// them: checked against the encoder's size and the frame's own planes, I420
// passed through without a copy, BGRA converted with libyuv into a picture of
// our own (after the first, only what the damage says changed).
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <span>
#include <vector>

namespace tether::codec {

// What every encoder takes.
inline constexpr uint32_t accepted_formats = TETHER_PIXEL_BIT(TETHER_PIXEL_I420) | TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA);

// An I420 picture the encoder reads; the planes belong to the frame or to the EncoderInput.
struct I420Picture {
    uint32_t width = 0;
    uint32_t height = 0;
    uint8_t* planes[3] = {};
    uint32_t strides[3] = {};
};

// What one frame asks the encoder to code.
struct Input {
    I420Picture picture;
    // What changed since the picture coded before, with even edges; empty:
    // all of it (the first picture, a keyframe, or a frame without damage).
    std::vector<tether_rect> changed;
};

class EncoderInput {
public:
    EncoderInput(uint32_t width, uint32_t height);

    // Throws std::invalid_argument naming what is wrong for a frame of
    // another size or format, or with missing planes or impossible strides.
    // The picture stays valid until the next call.
    Input take(const tether_video_frame& frame, bool keyframe);

    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }

private:
    I420Picture converted_from_bgra(const tether_video_frame& frame, std::span<const tether_rect> changed);

    uint32_t width_;
    uint32_t height_;
    // BGRA frames are converted into this picture, made on the first one.
    std::vector<uint8_t> converted_;
    I420Picture converted_picture_;
    bool coded_before_ = false;       // a picture was taken: the next may code only what changed
    bool converted_is_last_ = false;  // converted_ holds the picture taken last
};

}  // namespace tether::codec
