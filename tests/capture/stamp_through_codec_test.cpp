// The stamp's purpose: frame numbers and capture times read back after a real
// VP8/VP9 encode at realtime settings and a low bitrate (~0.06 bits/pixel),
// with ffmpeg's libvpx standing in for the network path.
#include "capture_test_support.h"
#include "core/plugin_objects.h"
#include "process.h"
#include "temp_dir.h"
#include "y4m_reader.h"

#include <tether/frame_stamp.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace {

struct Case {
    const char* name;
    const char* encoder;
    uint32_t width, height;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class StampThroughCodec : public testing::TestWithParam<Case> {};

TEST_P(StampThroughCodec, EveryFrameIsReadBack) {
    const Case c = GetParam();
    constexpr uint32_t fps = 30;
    constexpr int frames = 30;
    tether::test::TempDir dir;

    tether_capture_config config{sizeof(config), c.width, c.height, fps, nullptr, 0};
    tether::CaptureSource source(tether::test::capture_factory("synthetic"), config);
    std::vector<int64_t> times;
    std::ofstream raw(dir.path() / "source.y4m", std::ios::binary);
    raw << "YUV4MPEG2 W" << c.width << " H" << c.height << " F" << fps << ":1 C420jpeg\n";
    for (int n = 0; n < frames; ++n) {
        const auto frame = source.grab();
        ASSERT_TRUE(frame.has_value());
        times.push_back(frame->raw.capture_time_us);
        const auto bytes = tether::test::i420_bytes(frame->raw);
        raw << "FRAME\n";
        raw.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    raw.close();

    const auto kbps = static_cast<uint64_t>(c.width) * c.height * fps * 6 / 100 / 1000;
    const auto encoded = (dir.path() / "encoded.webm").string(), decoded = (dir.path() / "decoded.y4m").string();
    const auto encode = tether::test::run_command(
        {"ffmpeg", "-v", "error", "-y", "-i", (dir.path() / "source.y4m").string(), "-c:v", c.encoder, "-deadline",
         "realtime", "-cpu-used", "8", "-lag-in-frames", "0", "-b:v", std::to_string(kbps) + "k", encoded});
    ASSERT_EQ(encode.exit_code, 0) << encode.err;
    const auto decode = tether::test::run_command(
        {"ffmpeg", "-v", "error", "-y", "-i", encoded, "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", decoded});
    ASSERT_EQ(decode.exit_code, 0) << decode.err;

    tether::y4m::Reader reader(decoded);
    ASSERT_EQ(reader.header().width, c.width);
    std::vector<uint8_t> picture(reader.frame_bytes());
    int n = 0;
    for (; reader.next(picture); ++n) {
        const auto stamp = tether::stamp::read(picture.data(), c.width, c.width, c.height);
        ASSERT_TRUE(stamp.has_value()) << "frame " << n;
        EXPECT_EQ(stamp->frame_number, static_cast<uint64_t>(n));
        EXPECT_EQ(stamp->capture_time_us, times[static_cast<size_t>(n)]);
    }
    EXPECT_EQ(n, frames);
}

INSTANTIATE_TEST_SUITE_P(Codecs, StampThroughCodec,
                         testing::Values(Case{"vp8_160x120", "libvpx", 160, 120},
                                         Case{"vp8_1280x720", "libvpx", 1280, 720},
                                         Case{"vp9_640x360", "libvpx-vp9", 640, 360},
                                         Case{"vp9_1920x1080", "libvpx-vp9", 1920, 1080}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
