// capture-synthetic, loaded through the registry like the host loads it.
#include "capture_test_support.h"
#include "core/host_api.h"
#include "core/plugin_objects.h"

#include <tether/frame_stamp.hpp>

#include <gtest/gtest.h>

#include <memory>

namespace {

using tether::CaptureSource;
using tether::VideoFrame;

std::unique_ptr<CaptureSource> synthetic(uint32_t width, uint32_t height) {
    tether_capture_config config{sizeof(config), width, height, 30, nullptr, 0};
    return std::make_unique<CaptureSource>(tether::test::capture_factory("synthetic"), config);
}

VideoFrame grab(CaptureSource& source) {
    auto frame = source.grab();
    if (!frame) throw std::runtime_error("the synthetic source ended");
    return std::move(*frame);
}

// Luma rows from `first_row` down, and the chroma under them: the picture
// without the stamp, whose capture time differs from source to source.
std::vector<uint8_t> rows_from(const VideoFrame& f, uint32_t first_row) {
    const auto bytes = tether::test::i420_bytes(f.raw);
    const size_t w = f.width(), h = f.height(), cw = (w + 1) / 2, ch = (h + 1) / 2;
    std::vector<uint8_t> out(bytes.begin() + static_cast<ptrdiff_t>(first_row * w),
                             bytes.begin() + static_cast<ptrdiff_t>(w * h));
    for (int plane = 0; plane < 2; ++plane) {
        const size_t start = w * h + plane * cw * ch;
        out.insert(out.end(), bytes.begin() + static_cast<ptrdiff_t>(start + first_row / 2 * cw),
                   bytes.begin() + static_cast<ptrdiff_t>(start + cw * ch));
    }
    return out;
}

std::vector<uint8_t> below_stamp(const VideoFrame& f) {
    return rows_from(f, tether::stamp::strip_height(f.width()));
}

TEST(SyntheticCapture, ProbesOk) {
    EXPECT_TRUE(tether::probe(tether::test::capture_factory("synthetic")).ok);
}

TEST(SyntheticCapture, DeliversTightI420OfTheConfiguredSize) {
    for (const auto& [w, h] : {std::pair{160u, 120u}, {16u, 16u}, {1366u, 768u}, {642u, 1000u}}) {
        auto source = synthetic(w, h);
        const VideoFrame f = grab(*source);
        EXPECT_EQ(f.raw.format, uint32_t{TETHER_PIXEL_I420});
        EXPECT_EQ(f.width(), w);
        EXPECT_EQ(f.height(), h);
        EXPECT_EQ(f.raw.strides[0], w);
        EXPECT_EQ(f.raw.strides[1], w / 2);
        EXPECT_EQ(f.raw.strides[2], w / 2);
        EXPECT_EQ(f.raw.buffer, f.buffer.get());
        EXPECT_EQ(f.buffer.size(), size_t{w} * h * 3 / 2);
        EXPECT_EQ(f.raw.planes[0], f.buffer.data());
        EXPECT_EQ(f.raw.planes[1], f.buffer.data() + size_t{w} * h);
        EXPECT_EQ(f.raw.planes[2], f.buffer.data() + size_t{w} * h * 5 / 4);
    }
}

TEST(SyntheticCapture, DefaultsTo1080p) {
    const VideoFrame f = grab(*synthetic(0, 0));
    EXPECT_EQ(f.width(), 1920u);
    EXPECT_EQ(f.height(), 1080u);
}

TEST(SyntheticCapture, RefusesUnsupportedSizes) {
    for (const auto& [w, h] : {std::pair{641u, 480u}, {640u, 0u}, {14u, 14u}, {16386u, 16u}}) {
        try {
            synthetic(w, h);
            ADD_FAILURE() << w << "x" << h << " was accepted";
        } catch (const tether::PluginError& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(w) + "x" + std::to_string(h)), std::string::npos)
                << e.what();
        }
    }
}

TEST(SyntheticCapture, TwoSourcesDrawTheSameFrames) {
    auto a = synthetic(640, 360), b = synthetic(640, 360);
    for (int n = 0; n < 40; ++n) {
        const VideoFrame fa = grab(*a), fb = grab(*b);
        ASSERT_EQ(below_stamp(fa), below_stamp(fb)) << "frame " << n;
    }
}

TEST(SyntheticCapture, ContentMovesEveryFrame) {
    auto source = synthetic(1280, 720);
    auto previous = below_stamp(grab(*source));
    for (int n = 1; n < 20; ++n) {
        auto current = below_stamp(grab(*source));
        size_t changed = 0;
        for (size_t i = 0; i < current.size(); ++i) changed += current[i] != previous[i];
        EXPECT_GT(changed, 1000u) << "frame " << n;  // the dragged window alone moves thousands of pixels
        previous = std::move(current);
    }
}

TEST(SyntheticCapture, TaskbarClockTicksOncePerThirtyFrames) {
    auto source = synthetic(1920, 1080);
    std::vector<std::vector<uint8_t>> taskbar;
    for (int n = 0; n <= 31; ++n) taskbar.push_back(rows_from(grab(*source), 1080 - 16));
    EXPECT_EQ(taskbar[0], taskbar[1]);
    EXPECT_EQ(taskbar[0], taskbar[29]);
    EXPECT_NE(taskbar[29], taskbar[30]);
    EXPECT_EQ(taskbar[30], taskbar[31]);
}

TEST(SyntheticCapture, StampCarriesFrameNumberAndCaptureTime) {
    for (const auto& [w, h] : {std::pair{160u, 120u}, {1920u, 1080u}, {7680u, 4320u}}) {
        auto source = synthetic(w, h);
        for (uint64_t n = 0; n < 3; ++n) {
            const int64_t before = tether::now_us();
            const VideoFrame f = grab(*source);
            const int64_t after = tether::now_us();
            EXPECT_EQ(f.raw.frame_number, n);
            EXPECT_GE(f.raw.capture_time_us, before);
            EXPECT_LE(f.raw.capture_time_us, after);
            const auto stamp = tether::stamp::read(f.raw.planes[0], f.raw.strides[0], w, h);
            ASSERT_TRUE(stamp.has_value()) << w << "x" << h << " frame " << n;
            EXPECT_EQ(stamp->frame_number, n);
            EXPECT_EQ(stamp->capture_time_us, f.raw.capture_time_us);
        }
    }
}

}  // namespace
