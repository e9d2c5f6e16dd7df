#include "websocket_frame.h"

namespace tether::server::websocket {
namespace {

constexpr uint8_t kFin = 0x80;
constexpr uint8_t kReserved = 0x70;
constexpr uint8_t kMasked = 0x80;

bool is_known(uint8_t opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xa); }

uint64_t big_endian(std::span<const uint8_t> bytes) {
    uint64_t value = 0;
    for (const uint8_t b : bytes) value = value << 8 | b;
    return value;
}

}  // namespace

size_t header_size(uint8_t, uint8_t second) {
    const uint8_t length = second & 0x7f;
    const size_t extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    return kMinHeader + extended + ((second & kMasked) ? 4 : 0);
}

std::variant<FrameHeader, std::string_view> parse_client_header(std::span<const uint8_t> header) {
    if (header.size() < kMinHeader || header.size() != header_size(header[0], header[1]))
        return "a truncated frame header";
    const uint8_t first = header[0];
    const uint8_t second = header[1];
    if (first & kReserved) return "reserved bits set (no extension was agreed)";
    if (!is_known(first & 0x0f)) return "an unknown opcode";
    if (!(second & kMasked)) return "an unmasked frame from a client";
    FrameHeader frame;
    frame.fin = (first & kFin) != 0;
    frame.opcode = static_cast<Opcode>(first & 0x0f);
    const uint8_t short_length = second & 0x7f;
    size_t at = kMinHeader;
    if (short_length == 126) {
        frame.length = big_endian(header.subspan(at, 2));
        at += 2;
        if (frame.length < 126) return "a length not in its shortest form";
    } else if (short_length == 127) {
        frame.length = big_endian(header.subspan(at, 8));
        at += 8;
        if (frame.length >> 63) return "a length over 63 bits";
        if (frame.length <= 0xffff) return "a length not in its shortest form";
    } else {
        frame.length = short_length;
    }
    for (size_t i = 0; i < frame.mask.size(); ++i) frame.mask[i] = header[at + i];
    if (is_control(frame.opcode) && (!frame.fin || frame.length > kMaxControlPayload))
        return "a control frame fragmented or over 125 bytes";
    return frame;
}

EncodedHeader encode_header(Opcode opcode, uint64_t length) {
    EncodedHeader header;
    header.bytes[0] = kFin | static_cast<uint8_t>(opcode);
    if (length < 126) {
        header.bytes[1] = static_cast<uint8_t>(length);
        header.size = 2;
    } else if (length <= 0xffff) {
        header.bytes[1] = 126;
        header.bytes[2] = static_cast<uint8_t>(length >> 8);
        header.bytes[3] = static_cast<uint8_t>(length);
        header.size = 4;
    } else {
        header.bytes[1] = 127;
        for (int i = 0; i < 8; ++i) header.bytes[2 + i] = static_cast<uint8_t>(length >> (56 - 8 * i));
        header.size = 10;
    }
    return header;
}

void unmask(std::span<uint8_t> data, const Mask& mask, uint64_t offset) {
    for (size_t i = 0; i < data.size(); ++i) data[i] ^= mask[(offset + i) % 4];
}

}  // namespace tether::server::websocket
