#include "deflate_stream.h"

#include <algorithm>
#include <array>
#include <string>

namespace tether::patch {
namespace {

constexpr int kRawDeflate = -15;  // 32 KiB window, no zlib header
constexpr std::array<uint8_t, 4> kFlushTail{0x00, 0x00, 0xff, 0xff};

std::string zlib_error(const z_stream& stream, int status) {
    return stream.msg != nullptr ? stream.msg : "zlib status " + std::to_string(status);
}

}  // namespace

DeflateStream::DeflateStream() {
    if (const int status = deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, kRawDeflate, 9, Z_DEFAULT_STRATEGY);
        status != Z_OK)
        throw DeflateError("deflate: " + zlib_error(stream_, status));
}

DeflateStream::~DeflateStream() { deflateEnd(&stream_); }

std::vector<uint8_t> DeflateStream::deflate(std::span<const uint8_t> message) {
    std::vector<uint8_t> out(deflateBound(&stream_, message.size()) + 16);
    stream_.next_in = const_cast<Bytef*>(message.data());
    stream_.avail_in = static_cast<uInt>(message.size());
    stream_.next_out = out.data();
    stream_.avail_out = static_cast<uInt>(out.size());
    if (const int status = ::deflate(&stream_, Z_SYNC_FLUSH); status != Z_OK || stream_.avail_in != 0)
        throw DeflateError("deflate: " + zlib_error(stream_, status));
    out.resize(out.size() - stream_.avail_out);
    if (out.size() < kFlushTail.size() || !std::equal(kFlushTail.begin(), kFlushTail.end(), out.end() - kFlushTail.size()))
        throw DeflateError("deflate: a sync flush without its tail");
    out.resize(out.size() - kFlushTail.size());
    return out;
}

InflateStream::InflateStream() {
    if (const int status = inflateInit2(&stream_, kRawDeflate); status != Z_OK)
        throw DeflateError("inflate: " + zlib_error(stream_, status));
}

InflateStream::~InflateStream() { inflateEnd(&stream_); }

std::vector<uint8_t> InflateStream::inflate(std::span<const uint8_t> message, size_t most) {
    std::vector<uint8_t> in(message.begin(), message.end());
    in.insert(in.end(), kFlushTail.begin(), kFlushTail.end());
    // One byte of room past `most`: filling it means the message inflates to more.
    std::vector<uint8_t> out(most + 1);
    stream_.next_in = in.data();
    stream_.avail_in = static_cast<uInt>(in.size());
    stream_.next_out = out.data();
    stream_.avail_out = static_cast<uInt>(out.size());
    const int status = ::inflate(&stream_, Z_SYNC_FLUSH);
    if (status == Z_STREAM_END) throw DeflateError("patch stream: the sender ended it");
    if (status != Z_OK && status != Z_BUF_ERROR) throw DeflateError("patch stream: " + zlib_error(stream_, status));
    if (stream_.avail_out == 0) throw DeflateError("patch stream: a message inflates past " + std::to_string(most) + " bytes");
    if (stream_.avail_in != 0) throw DeflateError("patch stream: a message does not end where its data does");
    out.resize(out.size() - stream_.avail_out);
    return out;
}

}  // namespace tether::patch
