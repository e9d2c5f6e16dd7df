// RFC 6455 frames as the servers meet them: headers from clients (masked,
// no extensions), headers of our own (unmasked), and the payload mask.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace tether::server::websocket {

enum class Opcode : uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xa };

constexpr size_t kMinHeader = 2;
constexpr size_t kMaxHeader = 14;  // 2, a 64-bit length, a 4-byte mask
constexpr size_t kMaxControlPayload = 125;

using Mask = std::array<uint8_t, 4>;

struct FrameHeader {
    bool fin = true;
    Opcode opcode = Opcode::Binary;
    uint64_t length = 0;
    Mask mask{};
};

inline bool is_control(Opcode opcode) { return static_cast<uint8_t>(opcode) >= 0x8; }

// The whole header's size, from its first two bytes: 2 to 14.
size_t header_size(uint8_t first, uint8_t second);
// A client's header of exactly header_size() bytes, or why it breaks RFC 6455
// as we speak it: unmasked, reserved bits or an unknown opcode, a control frame
// fragmented or over 125 bytes, a length not in its shortest form.
std::variant<FrameHeader, std::string_view> parse_client_header(std::span<const uint8_t> header);

struct EncodedHeader {
    std::array<uint8_t, 10> bytes{};
    size_t size = 0;
    std::span<const uint8_t> view() const { return {bytes.data(), size}; }
};
// A server's header of one whole (fin) frame: unmasked.
EncodedHeader encode_header(Opcode opcode, uint64_t length);

// XORs `data` with the mask, `offset` bytes into the frame's payload.
void unmask(std::span<uint8_t> data, const Mask& mask, uint64_t offset);

}  // namespace tether::server::websocket
