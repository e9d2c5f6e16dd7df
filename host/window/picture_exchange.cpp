#include "picture_exchange.h"

#include <cstring>

namespace tether::window {
namespace {

void copy_plane(std::vector<uint8_t>& to, const uint8_t* from, uint32_t stride, uint32_t width, uint32_t rows) {
    to.resize(size_t{width} * rows);
    for (uint32_t r = 0; r < rows; ++r) std::memcpy(to.data() + size_t{r} * width, from + size_t{r} * stride, width);
}

}  // namespace

void PictureExchange::publish(const tether_video_frame& frame, uint32_t screen_width, uint32_t screen_height,
                              int64_t latency_us) {
    Picture& p = slots_[writing_];
    p.width = frame.width;
    p.height = frame.height;
    p.screen_width = screen_width;
    p.screen_height = screen_height;
    p.latency_us = latency_us;
    const uint32_t chroma_w = (frame.width + 1) / 2;
    const uint32_t chroma_h = (frame.height + 1) / 2;
    copy_plane(p.y, frame.planes[0], frame.strides[0], frame.width, frame.height);
    copy_plane(p.u, frame.planes[1], frame.strides[1], chroma_w, chroma_h);
    copy_plane(p.v, frame.planes[2], frame.strides[2], chroma_w, chroma_h);
    // Release: the window thread sees the whole picture once it sees the slot.
    writing_ = middle_.exchange(writing_ | kFresh, std::memory_order_acq_rel) & ~kFresh;
    ++published_;
}

const Picture* PictureExchange::take() {
    if (!(middle_.load(std::memory_order_acquire) & kFresh)) return nullptr;
    reading_ = middle_.exchange(reading_, std::memory_order_acq_rel) & ~kFresh;
    return &slots_[reading_];
}

}  // namespace tether::window
