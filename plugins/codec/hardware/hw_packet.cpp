#include "hw_packet.h"

#include <tether/i420.hpp>

#include <cstring>
#include <stdexcept>
#include <string>

namespace tether::hw {

void emit_packet(const tether_host_api* host, std::span<const uint8_t> bitstream, bool keyframe,
                 const tether_video_frame& frame, PacketSink sink) {
    if (bitstream.empty()) return;
    // Our reference goes back to the host once the sink has seen the packet.
    const i420::HostBuffer buffer(host->buffer_alloc(bitstream.size()), i420::BufferUnref{host});
    if (!buffer) throw std::runtime_error("out of memory for a " + std::to_string(bitstream.size()) + "-byte packet");
    std::memcpy(buffer->data, bitstream.data(), bitstream.size());
    buffer->size = bitstream.size();
    const tether_packet packet{
        .struct_size = sizeof(tether_packet),
        .flags = keyframe ? static_cast<uint32_t>(TETHER_PACKET_KEYFRAME) : 0u,
        .buffer = buffer.get(),
        .frame_number = frame.frame_number,
        .capture_time_us = frame.capture_time_us,
        .width = frame.width,
        .height = frame.height,
    };
    sink(packet);
}

}  // namespace tether::hw
