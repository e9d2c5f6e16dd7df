// Frames come across the ABI: an encoder refuses a wrong size, format,
// missing plane or short stride with the reason, before reading it.
#include <frame_checks.h>

#include "hw_test_frames.h"

#include <gtest/gtest.h>

#include <vector>

namespace tether::codec {
namespace {

struct Bgra {
    std::vector<uint8_t> pixels = std::vector<uint8_t>(64 * 48 * 4);
    tether_video_frame frame = test::bgra_frame(pixels, 64, 48);
};

void expect_refused(const tether_video_frame& frame, const char* because) {
    try {
        require_encodable(frame, 64, 48);
        ADD_FAILURE() << "accepted: " << because;
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(because), std::string::npos) << e.what();
    }
}

TEST(FrameChecks, AGoodFrameIsAccepted) {
    const Bgra good;
    EXPECT_NO_THROW(require_encodable(good.frame, 64, 48));
}

TEST(FrameChecks, HostileFramesAreRefusedWithTheReason) {
    Bgra wrong_size;
    wrong_size.frame.width = 65;
    expect_refused(wrong_size.frame, "65x48");
    Bgra no_plane;
    no_plane.frame.planes[0] = nullptr;
    expect_refused(no_plane.frame, "missing");
    Bgra short_stride;
    short_stride.frame.strides[0] = 64;
    expect_refused(short_stride.frame, "stride 64");
    Bgra huge_stride;
    huge_stride.frame.strides[0] = 1u << 30;
    expect_refused(huge_stride.frame, "stride");
    Bgra other_format;
    other_format.frame.format = 7;
    expect_refused(other_format.frame, "pixel format 7");
    Bgra i420_without_chroma;
    i420_without_chroma.frame.format = TETHER_PIXEL_I420;
    i420_without_chroma.frame.strides[0] = 64;
    expect_refused(i420_without_chroma.frame, "plane 1");
}

}  // namespace
}  // namespace tether::codec
