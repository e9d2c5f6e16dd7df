// The TCP wire format: every message is a 4-byte little-endian length
// followed by that many bytes.
#pragma once

#include "message_limits.h"

#include <algorithm>
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

// Why a header over the limit was refused. Four printable characters are no
// length of ours (at least 538 MB): the peer speaks another protocol, such as
// a web server's "HTTP" or an SSH server's "SSH-".
inline std::string oversized_header_reason(const uint8_t* header, uint32_t size, size_t limit) {
    if (std::all_of(header, header + kHeaderSize, [](uint8_t c) { return c >= 0x20 && c < 0x7F; }))
        return "the peer does not speak Tether: it sent \"" + std::string(header, header + kHeaderSize) + "...\"";
    return too_large_reason(size, limit);
}

}  // namespace tether::tcp
