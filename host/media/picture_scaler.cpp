#include "picture_scaler.h"

#include <libyuv/convert.h>
#include <libyuv/scale.h>
#include <libyuv/scale_argb.h>

#include <stdexcept>
#include <vector>

namespace tether {
namespace {

// A changed rectangle of the full picture as the smaller picture's pixels it touches.
tether_rect scaled_rect(const tether_rect& r, const VideoFrame& from, uint32_t width, uint32_t height) {
    const auto down = [](uint64_t v, uint32_t to, uint32_t of) { return static_cast<uint32_t>(v * to / of); };
    const auto up = [](uint64_t v, uint32_t to, uint32_t of) { return static_cast<uint32_t>((v * to + of - 1) / of); };
    const uint64_t x = static_cast<uint64_t>(std::max(r.x, 0)), y = static_cast<uint64_t>(std::max(r.y, 0));
    const uint32_t x0 = std::min(width, down(x, width, from.width())), y0 = std::min(height, down(y, height, from.height()));
    const uint32_t x1 = std::min(width, up(x + r.width, width, from.width()));
    const uint32_t y1 = std::min(height, up(y + r.height, height, from.height()));
    return tether_rect{static_cast<int32_t>(x0), static_cast<int32_t>(y0), x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

}  // namespace

bool can_scale_pictures() { return true; }

VideoFrame scaled(const VideoFrame& frame, uint32_t width, uint32_t height) {
    VideoFrame out = VideoFrame::allocate_i420(width, height);
    const tether_video_frame& in = frame.raw;
    tether_video_frame& to = out.raw;
    const auto w = static_cast<int>(in.width), h = static_cast<int>(in.height);
    const auto ow = static_cast<int>(width), oh = static_cast<int>(height);
    int failed = 0;
    if (in.format == TETHER_PIXEL_I420) {
        failed = libyuv::I420Scale(in.planes[0], static_cast<int>(in.strides[0]), in.planes[1], static_cast<int>(in.strides[1]),
                                   in.planes[2], static_cast<int>(in.strides[2]), w, h, to.planes[0],
                                   static_cast<int>(to.strides[0]), to.planes[1], static_cast<int>(to.strides[1]),
                                   to.planes[2], static_cast<int>(to.strides[2]), ow, oh, libyuv::kFilterBox);
    } else if (in.format == TETHER_PIXEL_BGRA) {
        // libyuv's "ARGB" is B, G, R, A in memory: ours. The scaled copy is scratch, kept per
        // encoder thread: a megabyte or more each picture is not allocated again each time.
        thread_local std::vector<uint8_t> smaller;
        smaller.resize(size_t{width} * height * 4);
        failed = libyuv::ARGBScale(in.planes[0], static_cast<int>(in.strides[0]), w, h, smaller.data(), ow * 4, ow, oh,
                                   libyuv::kFilterBox);
        if (failed == 0)
            failed = libyuv::ARGBToI420(smaller.data(), ow * 4, to.planes[0], static_cast<int>(to.strides[0]), to.planes[1],
                                        static_cast<int>(to.strides[1]), to.planes[2], static_cast<int>(to.strides[2]), ow, oh);
    } else {
        throw std::invalid_argument("cannot scale pixel format " + std::to_string(in.format));
    }
    if (failed != 0) throw std::runtime_error("libyuv could not scale a picture");
    to.frame_number = in.frame_number;
    to.capture_time_us = in.capture_time_us;
    if (frame.damage) {
        auto damage = std::make_shared<std::vector<tether_rect>>();
        damage->reserve(frame.damage->size());
        for (const tether_rect& r : *frame.damage) damage->push_back(scaled_rect(r, frame, width, height));
        to.damage = damage->data();
        to.damage_count = static_cast<uint32_t>(damage->size());
        out.damage = std::move(damage);
    }
    return out;
}

}  // namespace tether
