// Hands one encoded picture to the host: copied into a host buffer, with the
// frame's number, capture time and size.
#pragma once

#include <tether/plugin.hpp>

#include <cstdint>
#include <span>

namespace tether::hw {

// Nothing for an empty bitstream. Throws std::runtime_error when the host has
// no memory for it.
void emit_packet(const tether_host_api* host, std::span<const uint8_t> bitstream, bool keyframe,
                 const tether_video_frame& frame, PacketSink sink);

}  // namespace tether::hw
