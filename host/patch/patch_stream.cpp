#include "patch_stream.h"

#include <zstd.h>

#include <algorithm>
#include <array>
#include <string>

namespace tether::patch {
namespace {

constexpr int kRawDeflate = -15;  // 32 KiB window, no zlib header
constexpr std::array<uint8_t, 4> kFlushTail{0x00, 0x00, 0xff, 0xff};
constexpr int kZstdLevel = 3;  // zstd's default: a terminal's patch in well under a millisecond

std::string zlib_error(const z_stream& stream, int status) {
    return stream.msg != nullptr ? stream.msg : "zlib status " + std::to_string(status);
}

void check_zstd(size_t status, const char* what) {
    if (ZSTD_isError(status)) throw StreamError(std::string("patch stream: ") + what + ": " + ZSTD_getErrorName(status));
}

std::string too_big(size_t most) { return "patch stream: a message comes to more than " + std::to_string(most) + " bytes"; }

std::vector<uint8_t> deflated(z_stream& stream, std::span<const uint8_t> message) {
    std::vector<uint8_t> out(deflateBound(&stream, message.size()) + 16);
    stream.next_in = const_cast<Bytef*>(message.data());
    stream.avail_in = static_cast<uInt>(message.size());
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    if (const int status = deflate(&stream, Z_SYNC_FLUSH); status != Z_OK || stream.avail_in != 0)
        throw StreamError("patch stream: deflate: " + zlib_error(stream, status));
    out.resize(out.size() - stream.avail_out);
    if (out.size() < kFlushTail.size() || !std::equal(kFlushTail.begin(), kFlushTail.end(), out.end() - kFlushTail.size()))
        throw StreamError("patch stream: deflate: a sync flush without its tail");
    out.resize(out.size() - kFlushTail.size());
    return out;
}

std::vector<uint8_t> zstd_flushed(ZSTD_CCtx* context, std::span<const uint8_t> message) {
    std::vector<uint8_t> out(ZSTD_compressBound(message.size()) + 64);
    ZSTD_inBuffer in{message.data(), message.size(), 0};
    ZSTD_outBuffer to{out.data(), out.size(), 0};
    for (;;) {
        const size_t left = ZSTD_compressStream2(context, &to, &in, ZSTD_e_flush);
        check_zstd(left, "compress");
        if (left == 0) break;
        out.resize(out.size() * 2);  // rare: the flush needs more room than the bound said
        to.dst = out.data();
        to.size = out.size();
    }
    out.resize(to.pos);
    return out;
}

}  // namespace

CompressStream::CompressStream() : zstd_(ZSTD_createCCtx(), ZSTD_freeCCtx) {
    if (!zstd_) throw StreamError("patch stream: out of memory");
    check_zstd(ZSTD_CCtx_setParameter(zstd_.get(), ZSTD_c_compressionLevel, kZstdLevel), "level");
    check_zstd(ZSTD_CCtx_setParameter(zstd_.get(), ZSTD_c_windowLog, kZstdWindowLog), "window");
    if (const int status = deflateInit2(&deflate_, Z_BEST_COMPRESSION, Z_DEFLATED, kRawDeflate, 9, Z_DEFAULT_STRATEGY);
        status != Z_OK)
        throw StreamError("patch stream: deflate: " + zlib_error(deflate_, status));
}

CompressStream::~CompressStream() { deflateEnd(&deflate_); }

Compressed CompressStream::compress(std::span<const uint8_t> message) {
    if (message.size() <= kMostDeflated) return {Codec::Deflate, deflated(deflate_, message)};
    return {Codec::Zstd, zstd_flushed(zstd_.get(), message)};
}

DecompressStream::DecompressStream() : zstd_(ZSTD_createDCtx(), ZSTD_freeDCtx) {
    if (!zstd_) throw StreamError("patch stream: out of memory");
    check_zstd(ZSTD_DCtx_setParameter(zstd_.get(), ZSTD_d_windowLogMax, kZstdWindowLog), "window");
    if (const int status = inflateInit2(&inflate_, kRawDeflate); status != Z_OK)
        throw StreamError("patch stream: inflate: " + zlib_error(inflate_, status));
}

DecompressStream::~DecompressStream() { inflateEnd(&inflate_); }

std::vector<uint8_t> DecompressStream::decompress(Codec codec, std::span<const uint8_t> message, size_t most) {
    return codec == Codec::Deflate ? inflate(message, most) : unzstd(message, most);
}

std::vector<uint8_t> DecompressStream::inflate(std::span<const uint8_t> message, size_t most) {
    std::vector<uint8_t> in(message.begin(), message.end());
    in.insert(in.end(), kFlushTail.begin(), kFlushTail.end());
    // One byte of room past `most`: filling it means the message comes to more.
    std::vector<uint8_t> out(most + 1);
    inflate_.next_in = in.data();
    inflate_.avail_in = static_cast<uInt>(in.size());
    inflate_.next_out = out.data();
    inflate_.avail_out = static_cast<uInt>(out.size());
    const int status = ::inflate(&inflate_, Z_SYNC_FLUSH);
    if (status == Z_STREAM_END) throw StreamError("patch stream: the sender ended it");
    if (status != Z_OK && status != Z_BUF_ERROR) throw StreamError("patch stream: inflate: " + zlib_error(inflate_, status));
    if (inflate_.avail_out == 0) throw StreamError(too_big(most));
    if (inflate_.avail_in != 0) throw StreamError("patch stream: a message does not end where its data does");
    out.resize(out.size() - inflate_.avail_out);
    return out;
}

std::vector<uint8_t> DecompressStream::unzstd(std::span<const uint8_t> message, size_t most) {
    std::vector<uint8_t> out(most + 1);
    ZSTD_inBuffer in{message.data(), message.size(), 0};
    ZSTD_outBuffer to{out.data(), out.size(), 0};
    for (;;) {
        const size_t made = to.pos;
        const size_t taken = in.pos;
        check_zstd(ZSTD_decompressStream(zstd_.get(), &to, &in), "decompress");
        if (to.pos == to.size) throw StreamError(too_big(most));
        if (to.pos == made && in.pos == taken) break;  // all of it in, nothing more to come out
    }
    if (in.pos != in.size) throw StreamError("patch stream: a message does not end where its data does");
    out.resize(to.pos);
    return out;
}

}  // namespace tether::patch
