// The first check of every decoder on a packet from the network.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tether::codec {

// Far above a keyframe of the largest picture at high quality; anything
// bigger is not a real packet.
inline constexpr size_t max_packet_bytes = 64u << 20;

// Throws std::invalid_argument for an empty packet or one over max_packet_bytes.
void require_packet(const uint8_t* data, size_t size);

}  // namespace tether::codec
