// Screen patches from a host (host/patch): whatever the bytes, each message
// decompresses within the bound or ends the stream, and painting it refuses or
// paints inside the picture. The same bytes as a BGRA picture with damage: a
// patch the host makes of them paints without a complaint after a trip
// through the patch stream.
#include "core/media.h"
#include "length_prefixed.h"
#include "patch/patch_stream.h"
#include "patch/screen_patch.h"
#include "patch_picture.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace tether;
using fuzz::kPatchPictureHeight;
using fuzz::kPatchPictureWidth;

namespace {

void paint_as_viewer(std::span<const uint8_t> input, tether_video_frame& picture) {
    patch::DecompressStream stream;
    for (const auto message : fuzz::split_length_prefixed(input)) {
        if (message.empty()) continue;
        // A message's first byte says which stream it is the next of.
        const patch::Codec codec = message[0] % 2 == 0 ? patch::Codec::Deflate : patch::Codec::Zstd;
        std::vector<uint8_t> bytes;
        try {
            bytes = stream.decompress(codec, message.subspan(1), patch::kMostBytes);
        } catch (const patch::StreamError&) {
            return;  // the viewer ends the session
        }
        if (bytes.size() > patch::kMostBytes) std::abort();
        try {
            patch::apply(bytes, picture);
        } catch (const patch::PatchError&) {
        }
    }
}

void patch_as_host(std::span<const uint8_t> input, tether_video_frame& shown) {
    std::vector<uint8_t> pixels(kPatchPictureWidth * kPatchPictureHeight * 4);
    std::memcpy(pixels.data(), input.data(), std::min(input.size(), pixels.size()));
    const tether_video_frame picture = fuzz::patch_picture(pixels);
    // Up to four damaged rectangles from the input's first bytes, anywhere, of any size.
    std::vector<tether_rect> damage;
    for (size_t at = 0; at + 4 <= std::min<size_t>(input.size(), 16); at += 4)
        damage.push_back({static_cast<int8_t>(input[at]), static_cast<int8_t>(input[at + 1]), input[at + 2], input[at + 3]});
    const auto made = patch::make(picture, damage);
    if (!made) return;
    patch::CompressStream out;
    patch::DecompressStream in;
    const patch::Compressed compressed = out.compress(made->bytes);
    patch::apply(in.decompress(compressed.codec, compressed.bytes, patch::kMostBytes), shown);  // throws: a crash
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    VideoFrame picture = VideoFrame::allocate_i420(kPatchPictureWidth, kPatchPictureHeight);
    paint_as_viewer({data, size}, picture.raw);
    patch_as_host({data, size}, picture.raw);
    return 0;
}
