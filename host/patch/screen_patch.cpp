#include "screen_patch.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace tether::patch {
namespace {

uint32_t bits_for(size_t colours) { return colours <= 1 ? 0 : colours <= 2 ? 1 : colours <= 4 ? 2 : 4; }

size_t row_bytes(uint32_t width, uint32_t bits) { return (static_cast<size_t>(width) * bits + 7) / 8; }

void put_varint(std::vector<uint8_t>& out, uint64_t value) {
    for (; value >= 0x80; value >>= 7) out.push_back(static_cast<uint8_t>(value | 0x80));
    out.push_back(static_cast<uint8_t>(value));
}

// A damaged rectangle grown to whole 2x2 blocks and clipped to the picture; empty when outside it.
tether_rect aligned(const tether_rect& r, uint32_t width, uint32_t height) {
    const int64_t x0 = std::clamp<int64_t>(r.x, 0, width) & ~int64_t{1};
    const int64_t y0 = std::clamp<int64_t>(r.y, 0, height) & ~int64_t{1};
    const int64_t x1 = std::clamp<int64_t>((int64_t{r.x} + r.width + 1) & ~int64_t{1}, 0, width);
    const int64_t y1 = std::clamp<int64_t>((int64_t{r.y} + r.height + 1) & ~int64_t{1}, 0, height);
    if (x1 <= x0 || y1 <= y0) return {};
    return {static_cast<int32_t>(x0), static_cast<int32_t>(y0), static_cast<uint32_t>(x1 - x0),
            static_cast<uint32_t>(y1 - y0)};
}

// One rectangle's colours and each pixel's index among them; false past kMostColours.
bool index_colours(const tether_video_frame& picture, const tether_rect& r, std::vector<uint32_t>& colours,
                   std::vector<uint8_t>& indices) {
    colours.clear();
    indices.resize(static_cast<size_t>(r.width) * r.height);
    uint8_t last = 0;
    size_t at = 0;
    for (uint32_t y = 0; y < r.height; ++y) {
        const uint8_t* row = picture.planes[0] + static_cast<size_t>(r.y + y) * picture.strides[0] + static_cast<size_t>(r.x) * 4;
        for (uint32_t x = 0; x < r.width; ++x, row += 4) {
            const uint32_t colour = row[0] | row[1] << 8 | row[2] << 16;
            if (colours.empty() || colours[last] != colour) {
                auto found = std::find(colours.begin(), colours.end(), colour);
                if (found == colours.end()) {
                    if (colours.size() == kMostColours) return false;
                    colours.push_back(colour);
                    found = colours.end() - 1;
                }
                last = static_cast<uint8_t>(found - colours.begin());
            }
            indices[at++] = last;
        }
    }
    return true;
}

void put_rect(std::vector<uint8_t>& out, const tether_rect& r, const std::vector<uint32_t>& colours,
              const std::vector<uint8_t>& indices) {
    put_varint(out, static_cast<uint32_t>(r.x));
    put_varint(out, static_cast<uint32_t>(r.y));
    put_varint(out, r.width);
    put_varint(out, r.height);
    out.push_back(static_cast<uint8_t>(colours.size()));
    for (const uint32_t c : colours) out.insert(out.end(), {uint8_t(c), uint8_t(c >> 8), uint8_t(c >> 16)});
    const uint32_t bits = bits_for(colours.size());
    if (bits == 0) return;
    for (uint32_t y = 0; y < r.height; ++y) {
        const size_t start = out.size();
        out.resize(start + row_bytes(r.width, bits));
        for (uint32_t x = 0; x < r.width; ++x) {
            const size_t bit = static_cast<size_t>(x) * bits;
            out[start + bit / 8] |= static_cast<uint8_t>(indices[static_cast<size_t>(y) * r.width + x] << (8 - bits - bit % 8));
        }
    }
}

class Reader {
public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    uint64_t varint() {
        uint64_t value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            const uint8_t b = byte();
            value |= static_cast<uint64_t>(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw PatchError("malformed patch: a number runs past 32 bits");
    }
    uint32_t number() {
        const uint64_t value = varint();
        if (value > UINT32_MAX) throw PatchError("malformed patch: a number runs past 32 bits");
        return static_cast<uint32_t>(value);
    }
    uint8_t byte() { return take(1)[0]; }
    std::span<const uint8_t> take(size_t n) {
        if (n > bytes_.size() - at_) throw PatchError("malformed patch: it ends early");
        const auto part = bytes_.subspan(at_, n);
        at_ += n;
        return part;
    }
    bool done() const { return at_ == bytes_.size(); }

private:
    std::span<const uint8_t> bytes_;
    size_t at_ = 0;
};

struct Yuv {
    uint8_t y, u, v;
};

// BT.601 limited range, as libyuv's ARGBToI420 converts.
uint8_t luma(int r, int g, int b) { return static_cast<uint8_t>((66 * r + 129 * g + 25 * b + 0x1080) >> 8); }
Yuv chroma(int r, int g, int b) {
    return {0, static_cast<uint8_t>((112 * b - 74 * g - 38 * r + 0x8080) >> 8),
            static_cast<uint8_t>((112 * r - 94 * g - 18 * b + 0x8080) >> 8)};
}

void paint(const tether_rect& r, std::span<const uint8_t> palette, uint32_t bits, std::span<const uint8_t> rows,
           tether_video_frame& picture) {
    const size_t stride = row_bytes(r.width, bits);
    const auto index = [&](uint32_t x, uint32_t y) -> size_t {
        if (bits == 0) return 0;
        const size_t bit = static_cast<size_t>(x) * bits;
        return (rows[y * stride + bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
    };
    const size_t colours = palette.size() / 3;
    const auto component = [&](size_t i, int c) -> int {
        if (i >= colours) throw PatchError("malformed patch: a pixel names colour " + std::to_string(i) + " of " + std::to_string(colours));
        return palette[i * 3 + static_cast<size_t>(c)];
    };
    for (uint32_t y = 0; y < r.height; ++y) {
        uint8_t* out = picture.planes[0] + static_cast<size_t>(r.y + y) * picture.strides[0] + r.x;
        for (uint32_t x = 0; x < r.width; ++x) {
            const size_t i = index(x, y);
            out[x] = luma(component(i, 2), component(i, 1), component(i, 0));
        }
    }
    for (uint32_t y = 0; y < r.height; y += 2) {
        uint8_t* u = picture.planes[1] + static_cast<size_t>(r.y + y) / 2 * picture.strides[1] + r.x / 2;
        uint8_t* v = picture.planes[2] + static_cast<size_t>(r.y + y) / 2 * picture.strides[2] + r.x / 2;
        for (uint32_t x = 0; x < r.width; x += 2) {
            std::array<int, 3> sum{};
            int n = 0;
            for (uint32_t dy = 0; dy < 2 && y + dy < r.height; ++dy)
                for (uint32_t dx = 0; dx < 2 && x + dx < r.width; ++dx, ++n)
                    for (int c = 0; c < 3; ++c) sum[static_cast<size_t>(c)] += component(index(x + dx, y + dy), c);
            const Yuv c = chroma((sum[2] + n / 2) / n, (sum[1] + n / 2) / n, (sum[0] + n / 2) / n);
            u[x / 2] = c.u;
            v[x / 2] = c.v;
        }
    }
}

}  // namespace

std::optional<Patch> make(const tether_video_frame& picture, std::span<const tether_rect> damage) {
    if (picture.format != TETHER_PIXEL_BGRA || damage.empty() || damage.size() > kMostRects) return std::nullopt;
    Patch patch;
    uint64_t area = 0;
    for (const tether_rect& d : damage) {
        const tether_rect r = aligned(d, picture.width, picture.height);
        if (r.width == 0) continue;
        area += static_cast<uint64_t>(r.width) * r.height;
        if (area > kMostPixels) return std::nullopt;
        patch.rects.push_back(r);
    }
    if (patch.rects.empty()) return std::nullopt;
    put_varint(patch.bytes, patch.rects.size());
    std::vector<uint32_t> colours;
    std::vector<uint8_t> indices;
    for (const tether_rect& r : patch.rects) {
        if (!index_colours(picture, r, colours, indices)) return std::nullopt;
        put_rect(patch.bytes, r, colours, indices);
    }
    return patch;
}

void apply(std::span<const uint8_t> bytes, tether_video_frame& picture) {
    if (picture.format != TETHER_PIXEL_I420) throw PatchError("a patch needs an I420 picture to paint on");
    Reader in(bytes);
    const uint64_t count = in.number();
    if (count == 0 || count > kMostRects)
        throw PatchError("malformed patch: " + std::to_string(count) + " rectangles (1 to " + std::to_string(kMostRects) + ")");
    uint64_t area = 0;
    for (uint64_t i = 0; i < count; ++i) {
        const uint64_t x = in.number(), y = in.number(), width = in.number(), height = in.number();
        // Whole 2x2 blocks: an odd side only at the picture's odd edge.
        const bool whole_blocks = x % 2 == 0 && y % 2 == 0 && (width % 2 == 0 || x + width == picture.width) &&
                                  (height % 2 == 0 || y + height == picture.height);
        if (!whole_blocks || width == 0 || height == 0 || x + width > picture.width || y + height > picture.height)
            throw PatchError("malformed patch: rectangle " + std::to_string(width) + "x" + std::to_string(height) + "+" +
                             std::to_string(x) + "+" + std::to_string(y) + " is not whole 2x2 blocks of the " +
                             std::to_string(picture.width) + "x" + std::to_string(picture.height) + " picture");
        // The host's own bound, overlaps counted: a few bytes must not buy seconds of painting.
        area += width * height;
        if (area > kMostPixels)
            throw PatchError("malformed patch: more than " + std::to_string(kMostPixels) + " pixels in all");
        const uint8_t colours = in.byte();
        if (colours == 0 || colours > kMostColours)
            throw PatchError("malformed patch: " + std::to_string(colours) + " colours (1 to " + std::to_string(kMostColours) + ")");
        const auto palette = in.take(colours * size_t{3});
        const uint32_t bits = bits_for(colours);
        const tether_rect r{static_cast<int32_t>(x), static_cast<int32_t>(y), static_cast<uint32_t>(width),
                            static_cast<uint32_t>(height)};
        paint(r, palette, bits, in.take(row_bytes(r.width, bits) * r.height), picture);
    }
    if (!in.done()) throw PatchError("malformed patch: bytes after its last rectangle");
}

}  // namespace tether::patch
