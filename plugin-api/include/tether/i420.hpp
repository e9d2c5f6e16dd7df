// Tightly packed I420 pictures: plane sizes, host buffers to hold them, and
// pointing a tether_video_frame at one. Part of the plugin SDK, and what the
// host itself uses, so every part of the project agrees on one layout.
#pragma once

#include <tether/plugin.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace tether::i420 {

struct Layout {
    uint32_t width;
    uint32_t height;
    uint32_t chroma_width;   // (width + 1) / 2: odd sizes round up
    uint32_t chroma_height;  // (height + 1) / 2
    size_t luma_bytes() const { return size_t{width} * height; }
    size_t chroma_bytes() const { return size_t{chroma_width} * chroma_height; }
    size_t total_bytes() const { return luma_bytes() + 2 * chroma_bytes(); }
};

constexpr Layout layout(uint32_t width, uint32_t height) {
    return Layout{width, height, (width + 1) / 2, (height + 1) / 2};
}

// A host buffer reference that goes back to the host unless released.
struct BufferUnref {
    const tether_host_api* host;
    void operator()(tether_buffer* buffer) const { host->buffer_unref(buffer); }
};
using HostBuffer = std::unique_ptr<tether_buffer, BufferUnref>;

inline HostBuffer allocate(const tether_host_api* host, const Layout& l) {
    tether_buffer* buffer = host->buffer_alloc(l.total_bytes());
    if (buffer == nullptr)
        throw std::runtime_error("out of memory for a " + std::to_string(l.width) + "x" + std::to_string(l.height) +
                                 " frame");
    return HostBuffer(buffer, BufferUnref{host});
}

// Fills format, size, planes, strides and buffer; the buffer must hold total_bytes().
inline void describe(tether_video_frame& frame, tether_buffer* buffer, const Layout& l) {
    frame.struct_size = sizeof(tether_video_frame);
    frame.format = TETHER_PIXEL_I420;
    frame.width = l.width;
    frame.height = l.height;
    frame.planes[0] = buffer->data;
    frame.planes[1] = buffer->data + l.luma_bytes();
    frame.planes[2] = frame.planes[1] + l.chroma_bytes();
    frame.planes[3] = nullptr;
    frame.strides[0] = l.width;
    frame.strides[1] = l.chroma_width;
    frame.strides[2] = l.chroma_width;
    frame.strides[3] = 0;
    frame.buffer = buffer;
    buffer->size = l.total_bytes();
}

// A capturer's grab() in one call: a new host buffer of `l`, described into
// `frame`, given to `fill(frame)` to draw or read into, then stamped with the
// frame number and capture time and handed to the caller. `fill` returns
// false when the source has ended (TETHER_END; the buffer goes back).
template <typename Fill>
int capture_into(const tether_host_api* host, const Layout& l, tether_video_frame& frame, uint64_t frame_number,
                 Fill&& fill) {
    const int64_t captured_at = host->now_us();
    HostBuffer buffer = allocate(host, l);
    describe(frame, buffer.get(), l);
    frame.frame_number = frame_number;
    frame.capture_time_us = captured_at;
    if (!fill(frame)) return TETHER_END;
    buffer.release();  // the frame owns the reference now
    return TETHER_OK;
}

}  // namespace tether::i420
