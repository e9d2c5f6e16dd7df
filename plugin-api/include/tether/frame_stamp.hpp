// A machine-readable stamp in the pixels of an I420 picture. It carries the
// frame number and capture time through a lossy video codec, so a receiver
// can count lost frames and measure glass-to-glass latency end to end.
//
// Layout (a pure function of the picture width):
//   - The stamp is 128 bits: the frame number's low 32 bits, the capture time
//     as 64 bits (two's complement), then a CRC-32 (IEEE) computed over the
//     4 bytes "TSTP" followed by those 12 bytes, all big-endian. The "TSTP"
//     prefix is never drawn; it only keeps plain pictures from passing the check.
//   - Each bit is a square cell of luma: white (235) for 1, black (16) for 0.
//     Cells are 8 pixels wide, 8 more for each further full 1920 pixels of
//     width (8 at 1080p, 16 at 4K, 32 at 8K), so they stay aligned with the
//     codec's transform blocks and keep their size relative to the picture.
//   - Bits run MSB first, left to right from x = 0, wrapping onto the next
//     row of cells when the width holds fewer than 128 cells (160 pixels wide:
//     20 cells a row, 7 rows). strip_height() is rows * cell size.
//   - The rest of the strip is black, and the chroma under the whole strip is
//     neutral (128), so colour bleeding cannot shift the luma a codec keeps.
//   - A reader averages the centre half of each cell (away from edges, where
//     codecs ring and blur) and thresholds halfway between black and white.
// Pictures narrower than one cell or shorter than the strip carry no stamp.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

namespace tether::stamp {

struct Stamp {
    uint64_t frame_number;  // only the low 32 bits travel in the picture
    int64_t capture_time_us;
};

namespace detail {

constexpr uint32_t bit_count = 128;
constexpr uint32_t payload_bytes = 12;
constexpr uint8_t black = 16;
constexpr uint8_t white = 235;
constexpr uint8_t neutral_chroma = 128;

constexpr uint32_t cell_size(uint32_t width) { return 8 * std::max<uint32_t>(1, width / 1920); }
constexpr uint32_t cells_per_row(uint32_t width) { return std::min(width / cell_size(width), bit_count); }

constexpr uint32_t crc32(const uint8_t* data, size_t size) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// The 16 bytes drawn: payload then its CRC.
constexpr std::array<uint8_t, bit_count / 8> encode(const Stamp& s) {
    std::array<uint8_t, 4 + payload_bytes> checked{'T', 'S', 'T', 'P'};
    const auto fn = static_cast<uint32_t>(s.frame_number);
    const auto time = static_cast<uint64_t>(s.capture_time_us);
    for (int i = 0; i < 4; ++i) checked[4 + i] = static_cast<uint8_t>(fn >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i) checked[8 + i] = static_cast<uint8_t>(time >> (56 - 8 * i));
    const uint32_t crc = crc32(checked.data(), checked.size());
    std::array<uint8_t, bit_count / 8> bytes{};
    for (uint32_t i = 0; i < payload_bytes; ++i) bytes[i] = checked[4 + i];
    for (int i = 0; i < 4; ++i) bytes[payload_bytes + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
    return bytes;
}

constexpr std::optional<Stamp> decode(const std::array<uint8_t, bit_count / 8>& bytes) {
    std::array<uint8_t, 4 + payload_bytes> checked{'T', 'S', 'T', 'P'};
    for (uint32_t i = 0; i < payload_bytes; ++i) checked[4 + i] = bytes[i];
    uint32_t crc = 0;
    for (int i = 0; i < 4; ++i) crc = (crc << 8) | bytes[payload_bytes + i];
    if (crc != crc32(checked.data(), checked.size())) return std::nullopt;
    uint32_t fn = 0;
    uint64_t time = 0;
    for (int i = 0; i < 4; ++i) fn = (fn << 8) | bytes[i];
    for (int i = 0; i < 8; ++i) time = (time << 8) | bytes[4 + i];
    return Stamp{fn, static_cast<int64_t>(time)};
}

}  // namespace detail

// Rows at the top of the picture the stamp occupies; 0 when the width holds no cell.
constexpr uint32_t strip_height(uint32_t width) {
    const uint32_t per_row = detail::cells_per_row(width);
    if (per_row == 0) return 0;
    return (detail::bit_count + per_row - 1) / per_row * detail::cell_size(width);
}

// Whether a picture of that size can carry a stamp.
constexpr bool fits(uint32_t width, uint32_t height) {
    return strip_height(width) != 0 && strip_height(width) <= height;
}

// Draws the stamp over the top strip_height(width) rows; does nothing when it does not fit.
inline void write(const Stamp& stamp, uint8_t* y, uint32_t y_stride, uint8_t* u, uint8_t* v, uint32_t uv_stride,
                  uint32_t width, uint32_t height) {
    if (!fits(width, height)) return;
    const uint32_t cell = detail::cell_size(width);
    const uint32_t per_row = detail::cells_per_row(width);
    const uint32_t strip = strip_height(width);
    const auto bytes = detail::encode(stamp);
    for (uint32_t row = 0; row < strip; ++row) {
        uint8_t* line = y + size_t{row} * y_stride;
        std::memset(line, detail::black, width);
        const uint32_t first_bit = row / cell * per_row;
        for (uint32_t col = 0; col < per_row && first_bit + col < detail::bit_count; ++col) {
            const uint32_t bit = first_bit + col;
            if ((bytes[bit / 8] >> (7 - bit % 8)) & 1u) std::memset(line + size_t{col} * cell, detail::white, cell);
        }
    }
    const uint32_t chroma_width = (width + 1) / 2;
    for (uint32_t row = 0; row < strip / 2; ++row) {
        std::memset(u + size_t{row} * uv_stride, detail::neutral_chroma, chroma_width);
        std::memset(v + size_t{row} * uv_stride, detail::neutral_chroma, chroma_width);
    }
}

// The stamp in a picture drawn `drawn_width` wide and shown `width` wide (a host
// may code a picture smaller than it drew it: the stamp's cells shrink with it),
// or nullopt when there is none or it is damaged beyond its CRC.
inline std::optional<Stamp> read(const uint8_t* y, uint32_t y_stride, uint32_t width, uint32_t height,
                                 uint32_t drawn_width) {
    if (drawn_width == 0 || width == 0 || width > drawn_width || !fits(drawn_width, height * drawn_width / width))
        return std::nullopt;
    // Where a drawn pixel lands in the picture shown: every position is scaled on its own, so that
    // no rounding of the cell adds up along a row (1922 drawn, 960 shown is not quite a half).
    const auto shown = [&](uint32_t drawn) { return static_cast<uint32_t>(uint64_t{drawn} * width / drawn_width); };
    const uint32_t cell = detail::cell_size(drawn_width);
    const uint32_t per_row = detail::cells_per_row(drawn_width);
    const uint32_t inner = shown(cell / 2);  // the centre square, a quarter cell from each edge
    if (inner == 0 || shown(per_row * cell) > width) return std::nullopt;
    const uint32_t threshold_sum = (uint32_t{detail::black} + detail::white) * inner * inner / 2;
    std::array<uint8_t, detail::bit_count / 8> bytes{};
    for (uint32_t bit = 0; bit < detail::bit_count; ++bit) {
        const uint32_t x0 = shown(bit % per_row * cell + cell / 4);
        const uint32_t y0 = shown(bit / per_row * cell + cell / 4);
        if (y0 + inner > height) return std::nullopt;
        uint32_t sum = 0;
        for (uint32_t r = 0; r < inner; ++r) {
            const uint8_t* p = y + size_t{y0 + r} * y_stride + x0;
            for (uint32_t c = 0; c < inner; ++c) sum += p[c];
        }
        if (sum > threshold_sum) bytes[bit / 8] |= static_cast<uint8_t>(0x80u >> (bit % 8));
    }
    return detail::decode(bytes);
}

// The stamp in a picture shown at the size it was drawn.
inline std::optional<Stamp> read(const uint8_t* y, uint32_t y_stride, uint32_t width, uint32_t height) {
    return read(y, y_stride, width, height, width);
}

}  // namespace tether::stamp
