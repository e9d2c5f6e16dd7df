// Screen patches: a small change of few colours becomes a patch, and the patch
// paints the viewer's I420 picture as libyuv converts the host's new picture;
// everything else is video's, and a malformed patch is refused with its reason.
#include "core/media.h"
#include "patch/screen_patch.h"

#include <gtest/gtest.h>

#ifdef TETHER_TEST_LIBYUV
#include <libyuv.h>
#endif

#include <cstring>

namespace tether::patch {
namespace {

constexpr uint32_t kWidth = 64;
constexpr uint32_t kHeight = 48;

// A BGRA picture of one colour, to draw on.
struct Bgra {
    std::vector<uint8_t> pixels = std::vector<uint8_t>(kWidth * kHeight * 4);
    explicit Bgra(uint32_t colour) { fill(0, 0, kWidth, kHeight, colour); }
    void fill(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t colour) {
        for (uint32_t y = y0; y < y0 + h; ++y)
            for (uint32_t x = x0; x < x0 + w; ++x) {
                uint8_t* p = &pixels[(y * kWidth + x) * 4];
                p[0] = uint8_t(colour), p[1] = uint8_t(colour >> 8), p[2] = uint8_t(colour >> 16), p[3] = 0xff;
            }
    }
    tether_video_frame frame() {
        tether_video_frame f{};
        f.struct_size = sizeof f;
        f.format = TETHER_PIXEL_BGRA;
        f.width = kWidth;
        f.height = kHeight;
        f.planes[0] = pixels.data();
        f.strides[0] = kWidth * 4;
        return f;
    }
};

// A glyph-like drawing of `colours` colours in the rectangle 5,3 11x13.
Bgra typed(size_t colours) {
    Bgra picture(0x202020);
    for (uint32_t i = 0; i < 11; ++i) picture.fill(5 + i, 3 + (i * 7) % 13, 1, 1 + i % 3, 0x10e0f0u + 0x1f0700u * (i % (colours - 1)));
    return picture;
}

const std::vector<tether_rect> kTyped{{5, 3, 11, 13}};

TEST(ScreenPatch, ASmallChangeOfFewColoursIsAPatchOfWhole2x2Blocks) {
    Bgra picture = typed(2);
    const auto patch = make(picture.frame(), kTyped);
    ASSERT_TRUE(patch);
    ASSERT_EQ(patch->rects.size(), 1u);
    EXPECT_EQ(patch->rects[0].x, 4);
    EXPECT_EQ(patch->rects[0].y, 2);
    EXPECT_EQ(patch->rects[0].width, 12u);
    EXPECT_EQ(patch->rects[0].height, 14u);
    // 2 colours: a bit a pixel, 2 bytes a row of 12.
    EXPECT_LE(patch->bytes.size(), 1 + 5 + 1 + 6 + 2 * 14u);
}

TEST(ScreenPatch, WhatVideoDoesBetterIsNoPatch) {
    Bgra many(1);  // the background is the first colour drawn
    for (uint32_t i = 0; i < 17; ++i) many.fill(i, 0, 1, 1, 0x010101u * i + 1);
    EXPECT_FALSE(make(many.frame(), std::vector<tether_rect>{{0, 0, 17, 1}})) << "17 colours";
    EXPECT_TRUE(make(many.frame(), std::vector<tether_rect>{{0, 0, 15, 1}})) << "16 colours";
    Bgra plain(0);
    EXPECT_FALSE(make(plain.frame(), std::vector<tether_rect>(kMostRects + 1, tether_rect{0, 0, 2, 2}))) << "too many rectangles";
    EXPECT_FALSE(make(plain.frame(), {})) << "no damage";
    EXPECT_FALSE(make(plain.frame(), std::vector<tether_rect>{{100, 100, 4, 4}})) << "outside the picture";
    tether_video_frame i420 = plain.frame();
    i420.format = TETHER_PIXEL_I420;
    EXPECT_FALSE(make(i420, kTyped)) << "not BGRA";
}

TEST(ScreenPatch, AChangeOverTheAreaLimitIsNoPatch) {
    constexpr uint32_t kSide = 1024;  // 1 Mi pixels, twice the limit
    std::vector<uint8_t> pixels(kSide * kSide * 4, 0);
    tether_video_frame big{};
    big.format = TETHER_PIXEL_BGRA;
    big.width = big.height = kSide;
    big.planes[0] = pixels.data();
    big.strides[0] = kSide * 4;
    EXPECT_FALSE(make(big, std::vector<tether_rect>{{0, 0, kSide, kSide}}));
    EXPECT_TRUE(make(big, std::vector<tether_rect>{{0, 0, kSide, kSide / 4}}));
}

#ifdef TETHER_TEST_LIBYUV
// The picture as the encoders' conversion (libyuv) gives it.
VideoFrame converted(Bgra& picture) {
    VideoFrame out = VideoFrame::allocate_i420(kWidth, kHeight);
    libyuv::ARGBToI420(picture.pixels.data(), static_cast<int>(kWidth * 4), out.raw.planes[0],
                       static_cast<int>(out.raw.strides[0]), out.raw.planes[1], static_cast<int>(out.raw.strides[1]),
                       out.raw.planes[2], static_cast<int>(out.raw.strides[2]), kWidth, kHeight);
    return out;
}

int most_apart(const VideoFrame& a, const VideoFrame& b) {
    int most = 0;
    for (int plane = 0; plane < 3; ++plane) {
        const uint32_t w = plane == 0 ? kWidth : kWidth / 2;
        const uint32_t h = plane == 0 ? kHeight : kHeight / 2;
        for (uint32_t y = 0; y < h; ++y)
            for (uint32_t x = 0; x < w; ++x)
                most = std::max(most, std::abs(a.raw.planes[plane][y * a.raw.strides[plane] + x] -
                                               b.raw.planes[plane][y * b.raw.strides[plane] + x]));
    }
    return most;
}

TEST(ScreenPatch, APatchPaintsWhatTheEncodersConversionOfTheNewPictureShows) {
    for (const size_t colours : {2, 3, 4, 5, 16}) {
        Bgra before(0x202020);
        Bgra after = typed(colours);
        VideoFrame shown = converted(before);
        const auto patch = make(after.frame(), kTyped);
        ASSERT_TRUE(patch) << colours << " colours";
        patch::apply(patch->bytes, shown.raw);
        // Luma exactly; chroma within the rounding of a mean of four.
        EXPECT_LE(most_apart(shown, converted(after)), 1) << colours << " colours";
    }
}
#endif

TEST(ScreenPatch, AMalformedPatchIsRefusedWithItsReason) {
    Bgra picture = typed(2);
    const auto patch = make(picture.frame(), kTyped);
    ASSERT_TRUE(patch);
    VideoFrame shown = VideoFrame::allocate_i420(kWidth, kHeight);
    const auto reason = [&](std::vector<uint8_t> bytes) {
        try {
            patch::apply(bytes, shown.raw);
        } catch (const PatchError& e) {
            return std::string(e.what());
        }
        return std::string("painted");
    };
    EXPECT_EQ(reason(patch->bytes), "painted");
    auto cut = patch->bytes;
    cut.pop_back();
    EXPECT_NE(reason(cut).find("ends early"), std::string::npos);
    auto longer = patch->bytes;
    longer.push_back(0);
    EXPECT_NE(reason(longer).find("after its last rectangle"), std::string::npos);
    EXPECT_NE(reason({0}).find("0 rectangles"), std::string::npos);
    EXPECT_NE(reason({1, 3, 0, 2, 2, 1, 0, 0, 0}).find("not whole 2x2 blocks"), std::string::npos) << "odd x";
    EXPECT_NE(reason({1, 62, 0, 4, 2, 1, 0, 0, 0}).find("not whole 2x2 blocks"), std::string::npos) << "past the right";
    EXPECT_NE(reason({1, 0, 0, 3, 2, 1, 0, 0, 0}).find("not whole 2x2 blocks"), std::string::npos) << "odd width";
    EXPECT_EQ(reason({1, 0, 0, 64, 48, 1, 0, 0, 0}), "painted") << "the whole picture";
    // 64 rectangles of the whole picture: 192 Ki pixels, under the bound.
    std::vector<uint8_t> overlapping{64};
    for (int i = 0; i < 64; ++i) overlapping.insert(overlapping.end(), {0, 0, 64, 48, 1, 9, 9, 9});
    EXPECT_EQ(reason(overlapping), "painted");
    EXPECT_NE(reason({1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0, 2, 2, 1, 0, 0, 0}).find("past 32 bits"), std::string::npos);
    EXPECT_NE(reason({1, 0, 0, 2, 2, 17}).find("17 colours"), std::string::npos);
    EXPECT_NE(reason({1, 0, 0, 2, 2, 0}).find("0 colours"), std::string::npos);
    // 3 colours, 2 bits a pixel: index 3 names no colour.
    EXPECT_NE(reason({1, 0, 0, 2, 2, 3, 0, 0, 0, 1, 1, 1, 2, 2, 2, 0xf0, 0xf0}).find("names colour 3"), std::string::npos);
    EXPECT_NE(reason({1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}).find("past 32 bits"), std::string::npos);
    tether_video_frame bgra = picture.frame();
    EXPECT_THROW(patch::apply(patch->bytes, bgra), PatchError);
}

// Overlapping rectangles count too: a patch of a few bytes paints at most the host's bound.
TEST(ScreenPatch, APatchOverTheAreaBoundIsRefusedBeforeItIsPainted) {
    VideoFrame shown = VideoFrame::allocate_i420(512, 512);
    const auto patch_of = [](int rects) {
        std::vector<uint8_t> bytes{static_cast<uint8_t>(rects)};
        for (int i = 0; i < rects; ++i) bytes.insert(bytes.end(), {0, 0, 0x80, 0x04, 0x80, 0x04, 1, 9, 9, 9});  // 512x512
        return bytes;
    };
    EXPECT_NO_THROW(patch::apply(patch_of(2), shown.raw));  // 512 Ki pixels: the bound
    try {
        patch::apply(patch_of(3), shown.raw);
        ADD_FAILURE() << "painted 768 Ki pixels";
    } catch (const PatchError& e) {
        EXPECT_NE(std::string(e.what()).find("more than 524288 pixels"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::patch
