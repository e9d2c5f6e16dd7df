#include "raw_websocket.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace tether::test {
namespace {

constexpr std::array<uint8_t, 4> kMask = {0x37, 0xfa, 0x21, 0x3d};

}  // namespace

std::string upgrade_request(const std::string& path, const std::string& host) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n";
}

std::vector<uint8_t> ws_frame(uint8_t opcode, std::span<const uint8_t> payload, bool fin, bool masked) {
    std::vector<uint8_t> frame{static_cast<uint8_t>((fin ? 0x80 : 0) | opcode)};
    const uint8_t mask_bit = masked ? 0x80 : 0;
    const uint64_t size = payload.size();
    if (size < 126) {
        frame.push_back(static_cast<uint8_t>(mask_bit | size));
    } else if (size <= 0xffff) {
        frame.insert(frame.end(), {static_cast<uint8_t>(mask_bit | 126), uint8_t(size >> 8), uint8_t(size)});
    } else {
        frame.push_back(static_cast<uint8_t>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<uint8_t>(size >> shift));
    }
    if (masked) frame.insert(frame.end(), kMask.begin(), kMask.end());
    for (size_t i = 0; i < payload.size(); ++i) frame.push_back(masked ? payload[i] ^ kMask[i % 4] : payload[i]);
    return frame;
}

std::string RawWebSocket::upgrade(const std::string& path, std::chrono::milliseconds timeout) {
    const std::string request = upgrade_request(path);
    send_bytes({reinterpret_cast<const uint8_t*>(request.data()), request.size()});
    return read_status(timeout);
}

std::string RawWebSocket::read_status(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto head_ends = [&] {
        const std::string_view end = "\r\n\r\n";
        return received_.size() >= end.size() &&
               std::equal(end.begin(), end.end(), received_.end() - static_cast<std::ptrdiff_t>(end.size()));
    };
    // A byte at a time: nothing after the head is taken from the stream.
    while (!head_ends())
        if (!read_until(received_.size() + 1, deadline)) return {};
    const std::string head(received_.begin(), received_.end());
    received_.clear();
    return head.substr(0, head.find("\r\n"));
}

std::optional<WsFrame> RawWebSocket::receive_ws(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!read_until(2, deadline)) return std::nullopt;
    WsFrame frame{static_cast<uint8_t>(received_[0] & 0x0f), (received_[0] & 0x80) != 0, (received_[1] & 0x80) != 0, {}};
    const uint8_t short_size = received_[1] & 0x7f;
    const size_t length_bytes = short_size == 126 ? 2 : short_size == 127 ? 8 : 0;
    const size_t header = 2 + length_bytes + (frame.masked ? 4 : 0);
    if (!read_until(header, deadline)) return std::nullopt;
    uint64_t size = short_size;
    if (length_bytes > 0) {
        size = 0;
        for (size_t i = 0; i < length_bytes; ++i) size = size << 8 | received_[2 + i];
    }
    if (!read_until(header + size, deadline)) return std::nullopt;
    frame.payload.assign(received_.begin() + static_cast<std::ptrdiff_t>(header), received_.end());
    if (frame.masked)
        for (size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] ^= received_[2 + length_bytes + i % 4];
    received_.clear();
    return frame;
}

std::optional<std::vector<uint8_t>> RawWebSocket::receive_message(std::chrono::milliseconds timeout) {
    auto frame = receive_ws(timeout);
    if (!frame || frame->opcode != ws_opcode::kBinary || !frame->fin) return std::nullopt;
    return std::move(frame->payload);
}

}  // namespace tether::test
