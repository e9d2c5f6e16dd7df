// How a peer of the servers frames its messages: transport-tcp's 4-byte
// little-endian length, or one WebSocket binary frame each (RFC 6455,
// masked from the peer, unmasked from us). The relay translates between
// the two, so each peer sees its own transport's framing.
#pragma once

#include "rendezvous.pb.h"
#include "websocket_frame.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::server {

enum class Framing : uint8_t { LengthPrefixed, WebSocket };

// One message as the server sends it in `framing`: its header, then the body.
std::vector<uint8_t> framed(Framing framing, std::span<const uint8_t> body);
std::vector<uint8_t> framed(Framing framing, const proto::RendezvousMessage& message);
// A WebSocket control frame of ours: a pong, a close.
std::vector<uint8_t> control_frame(websocket::Opcode opcode, std::span<const uint8_t> payload);
// The close a WebSocket peer is sent when we end its connection in order.
std::vector<uint8_t> normal_close();

// The start of a frame: a length-prefixed frame is always a binary message.
struct FrameStart {
    websocket::Opcode opcode = websocket::Opcode::Binary;
    uint64_t length = 0;
    std::optional<websocket::Mask> mask;  // every WebSocket frame from a peer has one
};

// The header of the next frame a peer sends, read exactly, never a byte of
// what follows it. Beyond RFC 6455 it holds WebSocket peers to one binary
// frame a message, so that a message's length is known from its first header.
class FrameHeaderReader {
public:
    using Outcome = std::variant<FrameStart, std::string_view>;  // the frame, or why it is refused

    explicit FrameHeaderReader(Framing framing) : framing_(framing) {}

    // Where the next bytes go; its size is exactly what the header still needs.
    std::span<uint8_t> space();
    // `count` bytes were put at space(): the outcome once the header is whole.
    std::optional<Outcome> advance(size_t count);
    bool started() const { return have_ > 0; }  // an end now cuts a frame short
    void reset() { have_ = 0; }

private:
    size_t needed() const;
    Outcome parse() const;

    Framing framing_;
    std::array<uint8_t, websocket::kMaxHeader> bytes_{};
    size_t have_ = 0;
};

}  // namespace tether::server
