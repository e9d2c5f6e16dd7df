// One direction of a session's patch stream: raw deflate (zlib) that keeps its
// 32 KiB of history from message to message, each message sync-flushed with
// the flush's fixed 00 00 FF FF tail left off (as WebSocket's permessage-deflate
// does). A patch like one sent before costs a few bytes. Both ends must see every
// message, in order: the host deflates for each session as it sends.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace tether::patch {

class DeflateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class DeflateStream {
public:
    DeflateStream();
    ~DeflateStream();
    DeflateStream(const DeflateStream&) = delete;
    DeflateStream& operator=(const DeflateStream&) = delete;
    std::vector<uint8_t> deflate(std::span<const uint8_t> message);

private:
    z_stream stream_{};
};

class InflateStream {
public:
    InflateStream();
    ~InflateStream();
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;
    // The message; DeflateError when it is not deflate or inflates past `most` bytes (the
    // stream is then unusable: the session it belongs to ends).
    std::vector<uint8_t> inflate(std::span<const uint8_t> message, size_t most);

private:
    z_stream stream_{};
};

}  // namespace tether::patch
