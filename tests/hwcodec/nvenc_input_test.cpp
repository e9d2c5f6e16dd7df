// How a host frame is laid into an NVENC input buffer of a given pitch:
// plain memory here, the same bytes a locked driver buffer receives.
#include <nvenc_input.h>

#include "hw_test_frames.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace tether::nvenc {
namespace {

TEST(NvencInput, BgraGoesInAsArgbAndI420AsIyuv) {
    EXPECT_EQ(input_format(TETHER_PIXEL_BGRA), NV_ENC_BUFFER_FORMAT_ARGB);
    EXPECT_EQ(input_format(TETHER_PIXEL_I420), NV_ENC_BUFFER_FORMAT_IYUV);
    EXPECT_THROW(input_format(99), std::invalid_argument);
}

TEST(NvencInput, AnOddI420PictureLandsInPlanesAtThePitch) {
    constexpr uint32_t width = 5, height = 3, pitch = 8;
    std::vector<uint8_t> y(width * height), u(3 * 2), v(3 * 2);
    std::iota(y.begin(), y.end(), 1);
    std::iota(u.begin(), u.end(), 100);
    std::iota(v.begin(), v.end(), 200);
    const tether_video_frame frame = test::i420_frame(y, u, v, width, height);
    ASSERT_EQ(input_bytes(NV_ENC_BUFFER_FORMAT_IYUV, pitch, height), 8u * 3 + 2 * 4 * 2);
    std::vector<uint8_t> buffer(input_bytes(NV_ENC_BUFFER_FORMAT_IYUV, pitch, height), 0);
    copy_into(frame, buffer.data(), pitch);
    EXPECT_EQ(buffer[0], 1);
    EXPECT_EQ(buffer[4], 5);
    EXPECT_EQ(buffer[5], 0);  // past the row, within the pitch
    EXPECT_EQ(buffer[2 * pitch + 4], 15);
    const size_t u_at = pitch * height, v_at = u_at + 4 * 2;
    EXPECT_EQ(buffer[u_at], 100);
    EXPECT_EQ(buffer[u_at + 4 + 2], 105);  // chroma row 1, column 2
    EXPECT_EQ(buffer[v_at], 200);
    EXPECT_EQ(buffer[v_at + 4 + 2], 205);
}

TEST(NvencInput, BgraRowsAreCopiedAsTheyAre) {
    constexpr uint32_t width = 2, height = 2, pitch = 16;
    std::vector<uint8_t> bgra{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const tether_video_frame frame = test::bgra_frame(bgra, width, height);
    std::vector<uint8_t> buffer(input_bytes(NV_ENC_BUFFER_FORMAT_ARGB, pitch, height), 0);
    copy_into(frame, buffer.data(), pitch);
    EXPECT_EQ(std::vector<uint8_t>(buffer.begin(), buffer.begin() + 8), std::vector<uint8_t>(bgra.begin(), bgra.begin() + 8));
    EXPECT_EQ(std::vector<uint8_t>(buffer.begin() + pitch, buffer.begin() + pitch + 8),
              std::vector<uint8_t>(bgra.begin() + 8, bgra.end()));
}

}  // namespace
}  // namespace tether::nvenc
