// A WebSocket client written by hand on a RawPeer, for tests that must say
// what a well-behaved client would not: requests of any shape, frames
// unmasked, oversized, fragmented or in pieces, and nothing at all.
#pragma once

#include "raw_peer.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tether::test {

namespace ws_opcode {
constexpr uint8_t kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9, kPong = 0xa;
}

// The request a client sends to upgrade to `path`.
std::string upgrade_request(const std::string& path, const std::string& host = "127.0.0.1");

// A frame's header and payload; a client's is masked (with a fixed mask, so tests are repeatable).
std::vector<uint8_t> ws_frame(uint8_t opcode, std::span<const uint8_t> payload, bool fin = true, bool masked = true);

struct WsFrame {
    uint8_t opcode = 0;
    bool fin = false;
    bool masked = false;
    std::vector<uint8_t> payload;  // unmasked
};

class RawWebSocket : public RawPeer {
public:
    using RawPeer::RawPeer;

    // Sends upgrade_request(path) and reads the answer's head: its status line, or "" when none came.
    std::string upgrade(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The head of an HTTP answer to whatever was sent: its status line, or "" when none came.
    std::string read_status(std::chrono::milliseconds timeout);
    void send_message(std::span<const uint8_t> payload) { send_bytes(ws_frame(ws_opcode::kBinary, payload)); }
    // The next frame; nullopt when the peer closed or the time ran out.
    std::optional<WsFrame> receive_ws(std::chrono::milliseconds timeout);
    // The next binary message's payload, answering nothing; nullopt on anything else.
    std::optional<std::vector<uint8_t>> receive_message(std::chrono::milliseconds timeout);
};

}  // namespace tether::test
