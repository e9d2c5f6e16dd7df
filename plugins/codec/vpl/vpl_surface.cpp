#include "vpl_surface.h"

#include <libyuv.h>

#include <algorithm>
#include <stdexcept>

namespace tether::vpl {
namespace {

constexpr uint8_t black_luma = 16;  // limited range
constexpr uint8_t neutral_chroma = 128;

}  // namespace

Nv12Surface::Nv12Surface(const mfxFrameInfo& info) {
    const size_t pitch = info.Width;
    const size_t luma_bytes = pitch * info.Height;
    pixels_.assign(luma_bytes + pitch * ((info.Height + 1) / 2), neutral_chroma);
    std::fill_n(pixels_.begin(), luma_bytes, black_luma);
    surface_.Info = info;
    surface_.Data.Y = pixels_.data();
    surface_.Data.UV = pixels_.data() + luma_bytes;
    surface_.Data.PitchLow = static_cast<mfxU16>(pitch);
}

void Nv12Surface::fill_from(const tether_video_frame& frame) {
    const auto width = static_cast<int>(frame.width);
    const auto height = static_cast<int>(frame.height);
    if (frame.width > surface_.Info.Width || frame.height > surface_.Info.Height)
        throw std::invalid_argument("the frame is larger than the encoder's surface");
    const int pitch = surface_.Data.PitchLow;
    // libyuv's "ARGB" is B, G, R, A in memory: our BGRA.
    const int status =
        frame.format == TETHER_PIXEL_BGRA
            ? libyuv::ARGBToNV12(frame.planes[0], static_cast<int>(frame.strides[0]), surface_.Data.Y, pitch,
                                 surface_.Data.UV, pitch, width, height)
            : libyuv::I420ToNV12(frame.planes[0], static_cast<int>(frame.strides[0]), frame.planes[1],
                                 static_cast<int>(frame.strides[1]), frame.planes[2],
                                 static_cast<int>(frame.strides[2]), surface_.Data.Y, pitch, surface_.Data.UV, pitch,
                                 width, height);
    if (status != 0) throw std::runtime_error("libyuv could not convert the frame to NV12");
}

}  // namespace tether::vpl
