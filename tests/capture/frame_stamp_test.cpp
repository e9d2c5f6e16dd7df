// The pixel stamp survives the kind of damage a lossy codec does, and its CRC
// turns away pictures that carry no stamp or a damaged one.
#include <tether/frame_stamp.hpp>

#include <tether/i420.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace {

using tether::stamp::Stamp;

struct Picture {
    uint32_t width, height;
    tether::i420::Layout layout;
    std::vector<uint8_t> bytes;

    Picture(uint32_t w, uint32_t h, uint8_t fill = 128)
        : width(w), height(h), layout(tether::i420::layout(w, h)), bytes(layout.total_bytes(), fill) {}
    uint8_t* y() { return bytes.data(); }
    uint8_t* u() { return bytes.data() + layout.luma_bytes(); }
    uint8_t* v() { return u() + layout.chroma_bytes(); }
    uint8_t& luma(uint32_t x, uint32_t row) { return bytes[size_t{row} * width + x]; }

    void stamp(const Stamp& s) { tether::stamp::write(s, y(), width, u(), v(), layout.chroma_width, width, height); }
    std::optional<Stamp> read() const { return tether::stamp::read(bytes.data(), width, width, height); }
};

// What a realtime encoder at low bitrate does to a sharp pattern: lowered
// contrast, a brightness shift, smeared edges and quantisation noise. Only the
// strip and a row below it are touched: the rest of the picture is never read.
void damage(Picture& p, std::mt19937& rng) {
    const uint32_t w = p.width, h = std::min(p.height, tether::stamp::strip_height(p.width) + 1);
    std::vector<uint8_t> src(p.bytes.begin(), p.bytes.begin() + static_cast<ptrdiff_t>(p.layout.luma_bytes()));
    std::uniform_int_distribution<int> noise(-28, 28);
    for (uint32_t row = 0; row < h; ++row)
        for (uint32_t x = 0; x < w; ++x) {
            int sum = 0, n = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const auto yy = static_cast<int64_t>(row) + dy, xx = static_cast<int64_t>(x) + dx;
                    if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
                    sum += src[static_cast<size_t>(yy) * w + static_cast<size_t>(xx)];
                    ++n;
                }
            const int blurred = sum / n;
            const int flattened = 128 + (blurred - 128) * 7 / 10 + 12;
            p.luma(x, row) = static_cast<uint8_t>(std::clamp(flattened + noise(rng), 0, 255));
        }
}

struct Size {
    uint32_t width, height;
};
void PrintTo(const Size& s, std::ostream* os) { *os << s.width << "x" << s.height; }

class StampRoundTrip : public testing::TestWithParam<Size> {};

TEST_P(StampRoundTrip, ReadsBackWhatWasWritten) {
    const auto [w, h] = GetParam();
    Picture p(w, h);
    const Stamp s{0xdeadbeef, 1'712'345'678'901'234};
    p.stamp(s);
    const auto got = p.read();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->frame_number, s.frame_number);
    EXPECT_EQ(got->capture_time_us, s.capture_time_us);
}

TEST_P(StampRoundTrip, SurvivesCodecLikeDamage) {
    const auto [w, h] = GetParam();
    std::mt19937 rng(w * 7919 + h);
    for (uint64_t n = 0; n < 4; ++n) {
        Picture p(w, h);
        const Stamp s{n * 1'000'003, -5'000'000 + static_cast<int64_t>(n) * 16'667};
        p.stamp(s);
        damage(p, rng);
        const auto got = p.read();
        ASSERT_TRUE(got.has_value()) << "frame " << n;
        EXPECT_EQ(got->frame_number, s.frame_number);
        EXPECT_EQ(got->capture_time_us, s.capture_time_us);
    }
}

TEST_P(StampRoundTrip, CoversOnlyItsStripWithNeutralChroma) {
    const auto [w, h] = GetParam();
    Picture p(w, h, 77);
    p.stamp({1, 2});
    const uint32_t strip = tether::stamp::strip_height(w);
    const auto& l = p.layout;
    for (uint32_t row = 0; row < h; ++row)
        for (uint32_t x = 0; x < w; ++x) {
            const uint8_t v = p.luma(x, row);
            if (row < strip) ASSERT_TRUE(v == 16 || v == 235) << x << "," << row;
            else ASSERT_EQ(v, 77) << x << "," << row;
        }
    for (uint32_t row = 0; row < l.chroma_height; ++row)
        for (uint32_t x = 0; x < l.chroma_width; ++x) {
            const uint8_t want = row < strip / 2 ? 128 : 77;
            ASSERT_EQ(p.u()[size_t{row} * l.chroma_width + x], want);
            ASSERT_EQ(p.v()[size_t{row} * l.chroma_width + x], want);
        }
}

INSTANTIATE_TEST_SUITE_P(Sizes, StampRoundTrip,
                         testing::Values(Size{160, 120}, Size{161, 121}, Size{320, 240}, Size{640, 360},
                                         Size{1280, 720}, Size{1920, 1080}, Size{3840, 2160}, Size{7680, 4320}),
                         [](const auto& info) {
                             return std::to_string(info.param.width) + "x" + std::to_string(info.param.height);
                         });

// A host that codes the picture at about half its size (docs/congestion.md) rounds the half to even:
// 1922x1082 travels at 960x540. The stamp drawn at full size is read at the size shown.
TEST(Stamp, ReadsAtAboutHalfTheSizeItWasDrawn) {
    for (const auto& [drawn, shown] : {std::pair{Size{1920, 1080}, Size{960, 540}}, {Size{1922, 1082}, Size{960, 540}},
                                      {Size{1366, 768}, Size{682, 384}}, {Size{642, 362}, Size{320, 180}}}) {
        Picture full(drawn.width, drawn.height);
        const Stamp s{4242, 1'700'000'123'456};
        full.stamp(s);
        // A box filter, as libyuv's: each shown pixel the mean of the drawn ones it covers.
        std::vector<uint8_t> small(size_t{shown.width} * shown.height);
        for (uint32_t row = 0; row < shown.height; ++row)
            for (uint32_t x = 0; x < shown.width; ++x) {
                const uint32_t x0 = x * drawn.width / shown.width, x1 = (x + 1) * drawn.width / shown.width;
                const uint32_t r0 = row * drawn.height / shown.height, r1 = (row + 1) * drawn.height / shown.height;
                uint32_t sum = 0;
                for (uint32_t r = r0; r < r1; ++r)
                    for (uint32_t c = x0; c < x1; ++c) sum += full.luma(c, r);
                small[size_t{row} * shown.width + x] = static_cast<uint8_t>(sum / ((x1 - x0) * (r1 - r0)));
            }
        const auto read = tether::stamp::read(small.data(), shown.width, shown.width, shown.height, drawn.width);
        ASSERT_TRUE(read) << drawn.width << "x" << drawn.height << " shown at " << shown.width << "x" << shown.height;
        EXPECT_EQ(read->frame_number, s.frame_number);
        EXPECT_EQ(read->capture_time_us, s.capture_time_us);
    }
}

TEST(Stamp, StripStaysSmallAndScalesWithWidth) {
    EXPECT_EQ(tether::stamp::strip_height(1920), 8u);
    EXPECT_EQ(tether::stamp::strip_height(3840), 16u);
    EXPECT_EQ(tether::stamp::strip_height(7680), 32u);
    EXPECT_LE(tether::stamp::strip_height(160), 60u);  // wraps onto more rows, still under half of 120
}

TEST(Stamp, KeepsTheLow32BitsOfTheFrameNumberAndAllOfTheTime) {
    Picture p(640, 360);
    p.stamp({(uint64_t{5} << 32) | 42, INT64_MIN});
    const auto got = p.read();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->frame_number, 42u);
    EXPECT_EQ(got->capture_time_us, INT64_MIN);
}

TEST(Stamp, AnyFlippedCellIsRejected) {
    const uint32_t w = 160, h = 120, cell = 8, per_row = w / cell;
    Picture clean(w, h);
    clean.stamp({123456, 987654321});
    ASSERT_TRUE(clean.read().has_value());
    for (uint32_t bit = 0; bit < 128; ++bit) {
        Picture p = clean;
        const uint32_t x0 = bit % per_row * cell, y0 = bit / per_row * cell;
        const uint8_t flipped = p.luma(x0, y0) == 235 ? 16 : 235;
        for (uint32_t row = y0; row < y0 + cell; ++row) std::fill_n(&p.luma(x0, row), cell, flipped);
        EXPECT_FALSE(p.read().has_value()) << "bit " << bit;
    }
}

TEST(Stamp, PicturesWithoutAStampAreRejected) {
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 200; ++i) {
        Picture p(320, 240);
        for (auto& b : p.bytes) b = static_cast<uint8_t>(byte(rng));
        EXPECT_FALSE(p.read().has_value());
    }
    for (const uint8_t flat : {uint8_t{0}, uint8_t{16}, uint8_t{128}, uint8_t{235}, uint8_t{255}})
        EXPECT_FALSE(Picture(320, 240, flat).read().has_value());
}

TEST(Stamp, PicturesTooSmallForTheStripAreLeftAlone) {
    Picture p(16, 16, 90);
    const auto before = p.bytes;
    p.stamp({1, 1});
    EXPECT_EQ(p.bytes, before);
    EXPECT_FALSE(p.read().has_value());
    EXPECT_EQ(tether::stamp::strip_height(4), 0u);
}

}  // namespace
