// One direction of a session's patch stream: every patch is compressed
// against everything sent before it, in two streams by its size. A small one
// (a typed character) goes through raw deflate (zlib), sync-flushed with the
// flush's fixed 00 00 FF FF tail left off, as WebSocket's permessage-deflate
// does: a character typed again costs about 8 bytes, where zstd's block
// framing alone costs 3 more. A big one (a scrolled terminal) goes through
// zstd with 8 MiB of history: the rows that moved are in the picture before,
// far past deflate's 32 KiB, and cost next to nothing. Both ends must see
// every message, in order: the host compresses for each session as it sends.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace tether::patch {

enum class Codec { Deflate, Zstd };

constexpr size_t kMostDeflated = 1024;  // patches up to this size go through deflate
constexpr int kZstdWindowLog = 23;     // both ends': the receiver refuses a stream that asks for more

class StreamError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Compressed {
    Codec codec;
    std::vector<uint8_t> bytes;
};

class CompressStream {
public:
    CompressStream();
    ~CompressStream();
    CompressStream(const CompressStream&) = delete;
    CompressStream& operator=(const CompressStream&) = delete;
    Compressed compress(std::span<const uint8_t> message);

private:
    std::unique_ptr<ZSTD_CCtx_s, size_t (*)(ZSTD_CCtx_s*)> zstd_;
    z_stream deflate_{};  // set up last: nothing after it can fail
};

class DecompressStream {
public:
    DecompressStream();
    ~DecompressStream();
    DecompressStream(const DecompressStream&) = delete;
    DecompressStream& operator=(const DecompressStream&) = delete;
    // The message; StreamError when it is not its stream's next or comes to more than `most`
    // bytes (the streams are then unusable: the session they belong to ends).
    std::vector<uint8_t> decompress(Codec codec, std::span<const uint8_t> message, size_t most);

private:
    std::vector<uint8_t> inflate(std::span<const uint8_t> message, size_t most);
    std::vector<uint8_t> unzstd(std::span<const uint8_t> message, size_t most);

    std::unique_ptr<ZSTD_DCtx_s, size_t (*)(ZSTD_DCtx_s*)> zstd_;
    z_stream inflate_{};  // set up last: nothing after it can fail
};

}  // namespace tether::patch
