#include "media.h"

namespace tether {

VideoFrame VideoFrame::adopt(const tether_video_frame& frame) {
    VideoFrame owned;
    owned.raw = frame;
    owned.raw.struct_size = sizeof(tether_video_frame);
    owned.buffer = BufferRef::adopt(frame.buffer);
    return owned;
}

VideoFrame VideoFrame::allocate_i420(uint32_t width, uint32_t height) {
    const uint32_t chroma_width = (width + 1) / 2;
    const uint32_t chroma_height = (height + 1) / 2;
    const size_t luma = size_t{width} * height;
    const size_t chroma = size_t{chroma_width} * chroma_height;
    VideoFrame frame;
    frame.buffer = BufferRef::allocate(luma + 2 * chroma);
    frame.raw.struct_size = sizeof(tether_video_frame);
    frame.raw.format = TETHER_PIXEL_I420;
    frame.raw.width = width;
    frame.raw.height = height;
    frame.raw.buffer = frame.buffer.get();
    frame.raw.planes[0] = frame.buffer.data();
    frame.raw.planes[1] = frame.raw.planes[0] + luma;
    frame.raw.planes[2] = frame.raw.planes[1] + chroma;
    frame.raw.strides[0] = width;
    frame.raw.strides[1] = chroma_width;
    frame.raw.strides[2] = chroma_width;
    return frame;
}

EncodedPacket EncodedPacket::share(const tether_packet& packet) {
    EncodedPacket shared;
    shared.data = BufferRef::share(packet.buffer);
    shared.flags = packet.flags;
    shared.frame_number = packet.frame_number;
    shared.capture_time_us = packet.capture_time_us;
    shared.width = packet.width;
    shared.height = packet.height;
    return shared;
}

tether_packet EncodedPacket::as_abi() const {
    return tether_packet{sizeof(tether_packet), flags, data.get(), frame_number, capture_time_us, width, height};
}

}  // namespace tether
