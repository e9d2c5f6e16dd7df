// The TCP wire format: every message is a 4-byte little-endian length
// followed by that many bytes.
#pragma once

#include "message_limits.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::tcp {

using transport::kMaxMessageSize;
using transport::too_large_reason;
constexpr size_t kHeaderSize = 4;

using LengthHeader = std::array<uint8_t, kHeaderSize>;

inline LengthHeader encode_length(uint32_t size) {
    return {static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size >> 16),
            static_cast<uint8_t>(size >> 24)};
}

inline uint32_t decode_length(const uint8_t* header) {
    return uint32_t{header[0]} | uint32_t{header[1]} << 8 | uint32_t{header[2]} << 16 | uint32_t{header[3]} << 24;
}

}  // namespace tether::tcp
