#include "encoder_input.h"

#include "frame_checks.h"
#include "frame_damage.h"

#include <libyuv.h>

#include <stdexcept>
#include <string>

namespace tether::codec {
namespace {

// Rows padded to 32 bytes, which libyuv's and the encoders' vector code like.
uint32_t padded(uint32_t bytes) {
    return (bytes + 31) & ~31u;
}

}  // namespace

EncoderInput::EncoderInput(uint32_t width, uint32_t height) : width_(width), height_(height) {}

Input EncoderInput::take(const tether_video_frame& frame, bool keyframe) {
    require_encodable(frame, width_, height_);
    Input input;
    if (coded_before_ && !keyframe) input.changed = even_rectangles(damage_of(frame), width_, height_);
    switch (frame.format) {
    case TETHER_PIXEL_I420: {
        converted_is_last_ = false;
        input.picture = {width_, height_, {frame.planes[0], frame.planes[1], frame.planes[2]},
                         {frame.strides[0], frame.strides[1], frame.strides[2]}};
        break;
    }
    default:  // BGRA: require_encodable took no other
        input.picture = converted_from_bgra(frame, input.changed);
        break;
    }
    coded_before_ = true;
    return input;
}

I420Picture EncoderInput::converted_from_bgra(const tether_video_frame& frame, std::span<const tether_rect> changed) {
    if (converted_.empty()) {
        const uint32_t luma_stride = padded(width_);
        const uint32_t chroma_stride = padded((width_ + 1) / 2);
        const size_t luma_bytes = size_t{luma_stride} * height_;
        const size_t chroma_bytes = size_t{chroma_stride} * ((height_ + 1) / 2);
        converted_.resize(luma_bytes + 2 * chroma_bytes);
        converted_picture_ = {width_,
                              height_,
                              {converted_.data(), converted_.data() + luma_bytes,
                               converted_.data() + luma_bytes + chroma_bytes},
                              {luma_stride, chroma_stride, chroma_stride}};
    }
    const I420Picture& out = converted_picture_;
    const tether_rect whole{0, 0, frame.width, frame.height};
    const bool partly = converted_is_last_ && !changed.empty();
    converted_is_last_ = true;
    // Rectangles with even edges: each maps onto whole chroma samples.
    for (const tether_rect& r : partly ? changed : std::span<const tether_rect>(&whole, 1)) {
        const auto x = static_cast<size_t>(r.x);
        const auto y = static_cast<size_t>(r.y);
        // libyuv's "ARGB" is B, G, R, A in memory: our BGRA.
        if (libyuv::ARGBToI420(frame.planes[0] + y * frame.strides[0] + x * 4, static_cast<int>(frame.strides[0]),
                               out.planes[0] + y * out.strides[0] + x, static_cast<int>(out.strides[0]),
                               out.planes[1] + y / 2 * out.strides[1] + x / 2, static_cast<int>(out.strides[1]),
                               out.planes[2] + y / 2 * out.strides[2] + x / 2, static_cast<int>(out.strides[2]),
                               static_cast<int>(r.width), static_cast<int>(r.height)) != 0)
            throw std::runtime_error("libyuv could not convert the BGRA frame to I420");
    }
    return out;
}

}  // namespace tether::codec
