// The picture of the screen patch fuzzer: the viewer's it paints on, and the
// host's BGRA one its patches are made of (its seeds are patches of one too).
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <vector>

namespace tether::fuzz {

constexpr uint32_t kPatchPictureWidth = 64;
constexpr uint32_t kPatchPictureHeight = 48;

// A BGRA picture of that size over `pixels` (kPatchPictureWidth * kPatchPictureHeight * 4 bytes).
inline tether_video_frame patch_picture(std::vector<uint8_t>& pixels) {
    tether_video_frame picture{};
    picture.format = TETHER_PIXEL_BGRA;
    picture.width = kPatchPictureWidth;
    picture.height = kPatchPictureHeight;
    picture.planes[0] = pixels.data();
    picture.strides[0] = kPatchPictureWidth * 4;
    return picture;
}

}  // namespace tether::fuzz
