// Pictures made smaller for a thin path (host/media/picture_scaler.h): both
// pixel formats a capture delivers come out as I420 of the asked size, with
// their damage in the smaller picture's pixels.
#include "picture_scaler.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tether {
namespace {

TEST(PictureScaler, ABgraPictureComesOutAsI420AtHalfSizeWithItsDamageScaled) {
    if (!can_scale_pictures()) GTEST_SKIP() << "built with -DTETHER_PICTURE_SCALING=OFF";
    VideoFrame bgra;
    bgra.buffer = BufferRef::allocate(64 * 32 * 4);
    bgra.raw.struct_size = sizeof bgra.raw;
    bgra.raw.format = TETHER_PIXEL_BGRA;
    bgra.raw.width = 64;
    bgra.raw.height = 32;
    bgra.raw.planes[0] = bgra.buffer.get()->data;
    bgra.raw.strides[0] = 64 * 4;
    bgra.raw.buffer = bgra.buffer.get();
    bgra.raw.frame_number = 7;
    for (size_t i = 0; i < 64 * 32; ++i) std::memcpy(bgra.raw.planes[0] + i * 4, "\xff\x00\x00\xff", 4);  // blue
    bgra.damage = std::make_shared<const std::vector<tether_rect>>(std::vector<tether_rect>{{10, 5, 20, 10}});
    bgra.raw.damage = bgra.damage->data();
    bgra.raw.damage_count = 1;
    const auto [width, height] = scaled_size(64, 32, 2);
    const VideoFrame half = scaled(bgra, width, height);
    ASSERT_EQ(half.raw.format, static_cast<uint32_t>(TETHER_PIXEL_I420));
    EXPECT_EQ(half.width(), 32u);
    EXPECT_EQ(half.height(), 16u);
    EXPECT_EQ(half.raw.frame_number, 7u);
    // BT.601 limited range blue: Y 41, U 240.
    EXPECT_NEAR(half.raw.planes[0][0], 41, 2);
    EXPECT_NEAR(half.raw.planes[1][0], 240, 2);
    ASSERT_TRUE(half.damage);
    ASSERT_EQ(half.damage->size(), 1u);
    const tether_rect r = half.damage->front();
    EXPECT_EQ((std::vector<uint32_t>{static_cast<uint32_t>(r.x), static_cast<uint32_t>(r.y), r.width, r.height}),
              (std::vector<uint32_t>{5, 2, 10, 6}));  // rounded outwards
}

TEST(PictureScaler, AnI420PictureKeepsItsPicture) {
    if (!can_scale_pictures()) GTEST_SKIP() << "built with -DTETHER_PICTURE_SCALING=OFF";
    VideoFrame full = VideoFrame::allocate_i420(1920, 1080);
    std::memset(full.raw.planes[0], 200, 1920 * 1080);
    std::memset(full.raw.planes[1], 90, 960 * 540);
    std::memset(full.raw.planes[2], 160, 960 * 540);
    const VideoFrame half = scaled(full, 960, 540);
    EXPECT_EQ(half.raw.planes[0][960 * 270 + 480], 200);
    EXPECT_EQ(half.raw.planes[1][0], 90);
    EXPECT_EQ(half.raw.planes[2][480 * 270 - 1], 160);
    EXPECT_FALSE(half.damage);  // the whole picture counts as changed, as it did
}

}  // namespace
}  // namespace tether
