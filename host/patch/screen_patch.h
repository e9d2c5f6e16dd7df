// Screen patches: changed pixels sent exactly, without the video codec, when a
// change is small and of few colours (a typed character and the text cursor,
// a blinking caret, a menu's highlight). A video picture of such a change
// costs a frame header and a block map of the whole screen; a patch costs its
// pixels, which the session's patch stream (patch_stream.h) then squeezes
// against everything sent before, so a character typed again costs a few bytes.
//
// A patch, before the stream compresses it:
//   varint count (1..kMostRects), then per rectangle:
//   varint x, y, width, height (x and y even: the 2x2 chroma blocks of I420 stay whole)
//   u8 colours (1..kMostColours), colours x [B, G, R]
//   rows of colour indices, 0, 1, 2 or 4 bits each (by the count of colours), most
//   significant first, each row starting on a byte
//
// The host codes the patched rectangles with its next video picture, so the
// viewer's picture and the encoder's stay the same (docs/protocol.md §3).
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace tether::patch {

constexpr size_t kMostRects = 64;
constexpr size_t kMostColours = 16;
constexpr uint64_t kMostPixels = 512 * 1024;  // a patch's whole area; bigger changes are video's
// What a patch may come to: kMostPixels at 4 bits, every rectangle's header, and room.
constexpr size_t kMostBytes = kMostPixels / 2 + kMostRects * (20 + 3 * kMostColours) + 4096;

class PatchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Patch {
    std::vector<uint8_t> bytes;     // before the stream compresses them
    std::vector<tether_rect> rects;  // what it paints, aligned to 2x2 blocks
};

// The patch of `damage` on a BGRA picture, or nullopt when video does better: another
// pixel format, too many rectangles, too much area, a rectangle of too many colours.
std::optional<Patch> make(const tether_video_frame& picture, std::span<const tether_rect> damage);

// Paints a patch onto an I420 picture (BT.601 limited range, chroma from each 2x2
// block's mean colour, as the host's encoders convert). PatchError for anything
// malformed or outside the picture; rectangles before the bad one stay painted.
void apply(std::span<const uint8_t> patch, tether_video_frame& picture);

}  // namespace tether::patch
