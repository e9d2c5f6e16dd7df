// The encoder's input picture: NV12 in system memory at the session's
// aligned size, filled from a host frame with libyuv (BGRA as BT.601
// limited range, as the rest of Tether converts; I420 by interleaving its
// chroma). The picture itself is the crop; the rest stays black.
#pragma once

#include <tether/plugin.h>

#include <vpl/mfxstructures.h>

#include <cstdint>
#include <vector>

namespace tether::vpl {

class Nv12Surface {
public:
    // Width x Height of `info` (the aligned size), cropped to CropW x CropH.
    explicit Nv12Surface(const mfxFrameInfo& info);
    Nv12Surface(const Nv12Surface&) = delete;
    Nv12Surface& operator=(const Nv12Surface&) = delete;

    // `frame` passed codec::require_encodable at the crop's size.
    void fill_from(const tether_video_frame& frame);

    mfxFrameSurface1& surface() { return surface_; }
    const uint8_t* luma() const { return surface_.Data.Y; }
    const uint8_t* chroma() const { return surface_.Data.UV; }
    uint32_t pitch() const { return surface_.Data.PitchLow; }

private:
    std::vector<uint8_t> pixels_;
    mfxFrameSurface1 surface_{};
};

}  // namespace tether::vpl
