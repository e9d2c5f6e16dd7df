// Splits a TCP byte stream into length-prefixed messages (wire_format.h).
// One buffer serves every message of a connection. It starts small, so an
// idle connection costs a few KiB, and grows only to hold a message whose
// announced length passed the size check, so a hostile length never leads
// to an allocation.
#pragma once

#include "wire_format.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace tether::tcp {

class FrameReader {
public:
    // Where the next read should land; never empty. Throws std::bad_alloc
    // when the buffer cannot grow to the announced message.
    std::span<uint8_t> free_space();

    // Accounts for `count` bytes read into free_space() and hands each
    // complete message to deliver(data, size), which returns false to stop
    // (the connection closed meanwhile). limit() gives the largest message
    // accepted now (at most kMaxMessageSize); it is asked at each header, since
    // a delivery may change it. Returns why the stream is invalid.
    template <typename Limit, typename Deliver>
    std::optional<std::string> consume(size_t count, Limit&& limit, Deliver&& deliver);

    // True while part of a message has arrived and the rest has not.
    bool mid_message() const { return end_ > begin_; }

private:
    static constexpr size_t kFirstChunk = 4 * 1024;  // the first buffer: a handshake message fits
    static constexpr size_t kReadChunk = 64 * 1024;  // later ones, for throughput

    std::unique_ptr<uint8_t[]> buffer_;
    size_t capacity_ = 0;
    size_t begin_ = 0;  // first byte not yet delivered
    size_t end_ = 0;    // one past the last byte read
};

template <typename Limit, typename Deliver>
std::optional<std::string> FrameReader::consume(size_t count, Limit&& limit, Deliver&& deliver) {
    end_ += count;
    while (end_ - begin_ >= kHeaderSize) {
        const uint32_t size = decode_length(buffer_.get() + begin_);
        const size_t accepted = std::min<size_t>(limit(), kMaxMessageSize);
        if (size > accepted) return oversized_header_reason(buffer_.get() + begin_, size, accepted);
        if (end_ - begin_ < kHeaderSize + size) break;
        const uint8_t* message = buffer_.get() + begin_ + kHeaderSize;
        begin_ += kHeaderSize + size;
        if (!deliver(message, size)) break;
    }
    return std::nullopt;
}

}  // namespace tether::tcp
