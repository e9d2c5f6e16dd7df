// Encoded bytes to the host: each packet in a host buffer of its own, marked
// keyframe or not, carrying its frame's number, capture time and size.
#pragma once

#include <tether/plugin.hpp>

#include <cstdint>
#include <span>

namespace tether::codec {

// Throws std::invalid_argument when the host cannot give an encoder buffers.
void require_buffer_allocator(const tether_host_api* host);

// Copies `bitstream` into a new host buffer and gives the sink the packet
// made of it; the buffer goes back to the host when the sink returns. An
// empty bitstream is no packet.
void emit_packet(const tether_host_api* host, std::span<const uint8_t> bitstream, bool keyframe,
                 const tether_video_frame& frame, PacketSink sink);

}  // namespace tether::codec
