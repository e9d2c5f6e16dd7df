#include "media.h"

#include <tether/i420.hpp>

namespace tether {

VideoFrame VideoFrame::adopt(const tether_video_frame& frame) {
    VideoFrame owned;
    owned.raw = frame;
    owned.raw.struct_size = sizeof(tether_video_frame);
    owned.buffer = BufferRef::adopt(frame.buffer);
    owned.forget_damage();
    // The capture's rectangles live until its next grab: ours are a copy. A count past
    // what a capture could mean is taken as "everything".
    constexpr uint32_t kMostRectangles = 4096;
    if (frame.damage != nullptr && frame.damage_count > 0 && frame.damage_count <= kMostRectangles) {
        owned.damage = std::make_shared<const std::vector<tether_rect>>(frame.damage, frame.damage + frame.damage_count);
        owned.raw.damage = owned.damage->data();
        owned.raw.damage_count = frame.damage_count;
    }
    return owned;
}

void VideoFrame::forget_damage() {
    damage.reset();
    raw.damage = nullptr;
    raw.damage_count = 0;
}

void VideoFrame::add_damage(const std::vector<tether_rect>& more) {
    if (!damage || more.empty()) return;
    auto all = std::make_shared<std::vector<tether_rect>>(*damage);
    all->insert(all->end(), more.begin(), more.end());
    raw.damage = all->data();
    raw.damage_count = static_cast<uint32_t>(all->size());
    damage = std::move(all);
}

VideoFrame VideoFrame::allocate_i420(uint32_t width, uint32_t height) {
    const i420::Layout layout = i420::layout(width, height);
    VideoFrame frame;
    frame.buffer = BufferRef::allocate(layout.total_bytes());
    i420::describe(frame.raw, frame.buffer.get(), layout);
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
