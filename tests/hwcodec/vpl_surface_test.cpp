// The oneVPL encoder's input: host frames converted into an NV12 surface
// at the session's aligned size, in plain memory (no runtime needed).
#include <vpl_settings.h>
#include <vpl_surface.h>

#include "hw_test_frames.h"

#include <gtest/gtest.h>

#include <vector>

namespace tether::vpl {
namespace {

mfxFrameInfo surface_info(uint32_t width, uint32_t height) {
    EncodeParams params;
    fill_encode_params(Codec::h264, resolve(test::hw_config(width, height, 30, 0)), false, params);
    return params.video.mfx.FrameInfo;
}

TEST(VplSurface, I420IsInterleavedIntoTheChromaPlaneAndThePaddingStaysBlack) {
    constexpr uint32_t width = 6, height = 4;
    std::vector<uint8_t> y(width * height, 50), u(3 * 2, 90), v(3 * 2, 160);
    const tether_video_frame frame = test::i420_frame(y, u, v, width, height);
    Nv12Surface surface(surface_info(width, height));
    ASSERT_EQ(surface.pitch(), 16u);
    surface.fill_from(frame);
    EXPECT_EQ(surface.luma()[0], 50);
    EXPECT_EQ(surface.luma()[width - 1], 50);
    EXPECT_EQ(surface.luma()[width], 16) << "padding right of the picture";
    EXPECT_EQ(surface.luma()[surface.pitch() * height], 16) << "padding below it";
    EXPECT_EQ(surface.chroma()[0], 90);
    EXPECT_EQ(surface.chroma()[1], 160);
    EXPECT_EQ(surface.chroma()[surface.pitch() + 4], 90);
    EXPECT_EQ(surface.chroma()[surface.pitch() + 5], 160);
}

TEST(VplSurface, WhiteBgraBecomesLimitedRangeWhite) {
    constexpr uint32_t width = 4, height = 2;
    std::vector<uint8_t> bgra(width * height * 4, 255);
    const tether_video_frame frame = test::bgra_frame(bgra, width, height);
    Nv12Surface surface(surface_info(width, height));
    surface.fill_from(frame);
    EXPECT_NEAR(surface.luma()[0], 235, 1);
    EXPECT_NEAR(surface.chroma()[0], 128, 1);
}

TEST(VplSurface, AFrameLargerThanTheSurfaceIsRefused) {
    std::vector<uint8_t> bgra(64 * 64 * 4, 0);
    const tether_video_frame frame = test::bgra_frame(bgra, 64, 64);
    Nv12Surface surface(surface_info(16, 16));
    EXPECT_THROW(surface.fill_from(frame), std::invalid_argument);
}

}  // namespace
}  // namespace tether::vpl
