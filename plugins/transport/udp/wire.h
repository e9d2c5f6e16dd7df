// What the UDP transport agrees with its peers beyond ENet's own protocol:
// the message limit, the channels, and the 32-bit words ENet carries in a
// connect and a disconnect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::udp {

constexpr uint32_t kMaxMessageSize = 16u << 20;
// 0: reliable and ordered (control, input, everything send() carries); 1: video, which may go unreliable.
constexpr uint32_t kChannels = 2;

// What a connection takes before the host starts it, and the largest message
// then: a handshake's first message fits many times over.
constexpr uint32_t kBeforeStartLimit = 64u << 10;

// The data of an ENet connect from connect() to a listener. A punched connect
// carries its token's word instead (punch_packet.h), so neither kind of
// connect is taken for the other.
constexpr uint32_t kPlainConnectData = 0x54554431;  // "TUD1"

// The data of a disconnect. ENet reports its own timeouts with 0.
constexpr uint32_t kGoodbyeData = 1;  // the peer closed
constexpr uint32_t kRefusedData = 2;  // the peer refused what we sent or who we are

// The one wording for an oversized message, whether we send or receive it.
inline std::string too_large_reason(size_t size, size_t limit = kMaxMessageSize) {
    return "message too large (" + std::to_string(size) + " bytes > " + std::to_string(limit) + ")";
}

}  // namespace tether::udp
