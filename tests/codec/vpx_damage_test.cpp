// codec-vpx and a frame's damage (ABI 1.4): only the changed part of a
// picture is converted and coded, the rest copied from the picture before.
// Judged on decoded pixels: what changed shows, and a change the damage does
// not name stays uncoded (proving the encoder coded only what it was told).
#include "codec_plugins.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>

#include <gtest/gtest.h>

#include <cstring>

namespace tether::test {
namespace {

constexpr uint32_t kWidth = 640;
constexpr uint32_t kHeight = 360;

// `base` with `area` painted one grey level (in luma alone for I420), claiming `damage` as what changed.
VideoFrame changed(const VideoFrame& base, const tether_rect& area, uint8_t grey, std::vector<tether_rect> damage) {
    VideoFrame frame = base;
    frame.buffer = BufferRef::allocate(base.buffer.size());
    std::memcpy(frame.buffer.data(), base.buffer.data(), base.buffer.size());
    frame.raw.buffer = frame.buffer.get();
    for (int plane = 0; plane < 3 && base.raw.planes[plane] != nullptr; ++plane)
        frame.raw.planes[plane] = frame.buffer.data() + (base.raw.planes[plane] - base.buffer.data());
    const uint32_t bytes_per_pixel = base.raw.format == TETHER_PIXEL_BGRA ? 4 : 1;
    for (uint32_t y = 0; y < area.height; ++y)
        std::memset(frame.raw.planes[0] + (area.y + y) * frame.raw.strides[0] + area.x * bytes_per_pixel, grey,
                    area.width * bytes_per_pixel);
    frame.damage = std::make_shared<const std::vector<tether_rect>>(std::move(damage));
    frame.raw.damage = frame.damage->data();
    frame.raw.damage_count = static_cast<uint32_t>(frame.damage->size());
    ++frame.raw.frame_number;
    return frame;
}

struct Coded {
    size_t bytes = 0;
    std::vector<uint8_t> luma;  // the decoded picture's Y plane, tight
};

// Each frame encoded and decoded in turn through the real plugin.
std::vector<Coded> round_trip(const std::vector<VideoFrame>& frames) {
    const CodecPlugins plugin;
    Encoder encoder(plugin.encoder("vp9"), encoder_config(kWidth, kHeight, screen_share_kbps));
    Decoder decoder(plugin.decoder("vp9"), 1);
    std::vector<Coded> out;
    for (const VideoFrame& frame : frames) {
        Coded coded;
        encoder.encode(frame, false, [&](EncodedPacket packet) {
            coded.bytes += packet.data.size();
            decoder.decode(packet, [&](const tether_video_frame& picture) {
                for (uint32_t y = 0; y < picture.height; ++y)
                    coded.luma.insert(coded.luma.end(), picture.planes[0] + y * picture.strides[0],
                                      picture.planes[0] + y * picture.strides[0] + picture.width);
            });
        });
        out.push_back(std::move(coded));
    }
    return out;
}

double mean_luma(const std::vector<uint8_t>& luma, const tether_rect& area) {
    double sum = 0;
    for (uint32_t y = 0; y < area.height; ++y)
        for (uint32_t x = 0; x < area.width; ++x) sum += luma[(area.y + y) * kWidth + area.x + x];
    return sum / (area.width * area.height);
}

class VpxDamage : public ::testing::Test {
protected:
    void SetUp() override { base_ = workload_bgra_frames(dir_, clip_).front(); }
    const WorkloadClip clip_{.frames = 1, .width = kWidth, .height = kHeight};
    TempDir dir_;
    VideoFrame base_;
};

TEST_F(VpxDamage, TheChangedPartShowsAndCostsLittle) {
    const tether_rect area{300, 150, 32, 20};
    const auto coded = round_trip({base_, changed(base_, area, 0xff, {area})});
    ASSERT_EQ(coded.size(), 2u);
    EXPECT_GT(mean_luma(coded[1].luma, area), 200.0);  // white, as painted
    // A 32x20 change of a 640x360 picture: a small fraction of the first picture's bytes.
    EXPECT_LT(coded[1].bytes * 10, coded[0].bytes) << coded[1].bytes << " after " << coded[0].bytes;
}

TEST_F(VpxDamage, AChangeTheDamageDoesNotNameIsNotCoded) {
    const tether_rect named{300, 150, 32, 20};
    const tether_rect unnamed{16, 16, 64, 64};
    VideoFrame next = changed(changed(base_, named, 0xff, {named}), unnamed, 0x00, {named});
    const auto coded = round_trip({base_, next});
    ASSERT_EQ(coded.size(), 2u);
    // The unnamed square keeps the first picture's content; the named one is white.
    EXPECT_NEAR(mean_luma(coded[1].luma, unnamed), mean_luma(coded[0].luma, unnamed), 4.0);
    EXPECT_GT(mean_luma(coded[1].luma, named), 200.0);
}

// I420 pictures are not converted: what the damage does not name is left out by the encoder itself.
TEST_F(VpxDamage, AChangeTheDamageDoesNotNameIsNotCodedFromI420Either) {
    const VideoFrame first = read_y4m_frames(workload_y4m(dir_, clip_)).front();
    const tether_rect named{300, 150, 32, 20};
    const tether_rect unnamed{16, 16, 64, 64};
    const auto coded = round_trip({first, changed(changed(first, named, 0xeb, {named}), unnamed, 0x10, {named})});
    ASSERT_EQ(coded.size(), 2u);
    EXPECT_NEAR(mean_luma(coded[1].luma, unnamed), mean_luma(coded[0].luma, unnamed), 4.0);
    EXPECT_GT(mean_luma(coded[1].luma, named), 200.0);
}

// After pictures coded in part, one without damage (or a keyframe) codes all of it again.
TEST_F(VpxDamage, APictureWithoutDamageAfterOnesWithItIsCodedWhole) {
    const tether_rect named{300, 150, 32, 20};
    VideoFrame whole = changed(changed(base_, named, 0xff, {named}), {16, 16, 64, 64}, 0x00, {});
    whole.forget_damage();
    const auto coded = round_trip({base_, changed(base_, named, 0xff, {named}), whole});
    ASSERT_EQ(coded.size(), 3u);
    EXPECT_LT(mean_luma(coded[2].luma, {16, 16, 64, 64}), 40.0);  // black, as painted
}

TEST_F(VpxDamage, DamageOutsideThePictureOrOfHostileSizeIsClippedNotTrusted) {
    const tether_rect area{600, 340, 40, 20};  // at the bottom right corner
    const std::vector<tether_rect> hostile{{-2147483647 - 1, -5, 4294967295u, 10},
                                           {600, 340, 4294967295u, 4294967295u},
                                           {5000, 5000, 10, 10}};
    const auto coded = round_trip({base_, changed(base_, area, 0xff, hostile)});
    ASSERT_EQ(coded.size(), 2u);
    EXPECT_GT(mean_luma(coded[1].luma, area), 200.0);
}

}  // namespace
}  // namespace tether::test
