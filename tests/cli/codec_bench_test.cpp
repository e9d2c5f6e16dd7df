// `tether bench codecs`: a few frames of a recorded desktop through one
// encoder and ffmpeg's, the JSON's figures sane (no timing is asserted:
// the machine is shared); a missing clip or an unknown encoder is refused plainly.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

TEST(CodecBench, ComparesAnEncoderWithFfmpegsOnAClip) {
    TETHER_REQUIRE_BUILT("codec-vpx");
    TempDir dir;
    const auto r = run_command({tether_binary(), "bench", "codecs", "--json", "--clip",
                                std::string(TETHER_WORKLOADS_DIR) + "/window-drag-1080p.mkv", "--frames", "5",
                                "--rounds", "1", "--encoders", "vpx-vp9"},
                               300s, environment_of(dir));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    ASSERT_EQ(out["encoders"].size(), 1u) << r.out;
    const auto& vp9 = out["encoders"][0];
    EXPECT_EQ(vp9["encoder"], "vpx-vp9");
    EXPECT_EQ(vp9["codec"], "vp9");
    EXPECT_EQ(vp9["ffmpeg_encoder"], "libvpx-vp9");
    EXPECT_EQ(vp9["settings"]["width"], 1920);
    EXPECT_GT(vp9["settings"]["bitrate_kbps"].get<int>(), 0);
    for (const char* side : {"ours", "ffmpeg"}) {
        SCOPED_TRACE(side);
        const auto& run = vp9[side];
        EXPECT_EQ(run["frames"], 5);
        EXPECT_GT(run["fps"].get<double>(), 0);
        EXPECT_GT(run["cpu_ms_per_frame"].get<double>(), 0);
        EXPECT_GT(run["kbps"].get<double>(), 0);
        EXPECT_NEAR(run["KB_per_s"].get<double>() * 8, run["kbps"].get<double>(), 1e-6);
        EXPECT_GT(run["psnr"].get<double>(), 30);
        EXPECT_GT(run["psnr_y"].get<double>(), 30);
        EXPECT_GT(run["ssim"].get<double>(), 0.9);
        EXPECT_LE(run["ssim"].get<double>(), 1.0);
    }
    EXPECT_GT(vp9["fps_ratio"].get<double>(), 0);
}

TEST(CodecBench, AMissingClipIsAUsageError) {
    TempDir dir;
    const auto r = run_command({tether_binary(), "bench", "codecs", "--clip", (dir.path() / "none.mkv").string()},
                               30s, environment_of(dir));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("none.mkv: no such file"), std::string::npos) << r.err;
    const auto folder = run_command({tether_binary(), "bench", "codecs", "--clip", dir.path().string()}, 30s, environment_of(dir));
    EXPECT_EQ(folder.exit_code, 2) << folder.err;
    EXPECT_NE(folder.err.find(": not a regular file"), std::string::npos) << folder.err;
}

// H.264 takes even sizes only: on a clip 641 pixels wide x264 fails, is listed with its error, and
// VP8 is measured all the same; the run exits 1.
TEST(CodecBench, AnEncoderThatFailsOnTheClipIsListedAndTheOthersAreStillMeasured) {
    TETHER_REQUIRE_BUILT("codec-vpx", "codec-x264");
    TempDir dir;
    const auto clip = (dir.path() / "odd.mkv").string();
    const auto made = run_command({"ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=641x361:rate=30", "-frames:v",
                                   "3", "-c:v", "ffv1", clip},
                                  60s, environment_of(dir));
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const auto r = run_command({tether_binary(), "bench", "codecs", "--json", "--clip", clip, "--frames", "3", "--rounds",
                                "1", "--encoders", "vpx-vp8", "x264-h264"},
                               300s, environment_of(dir));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    ASSERT_EQ(out["encoders"].size(), 1u) << r.out;
    EXPECT_EQ(out["encoders"][0]["encoder"], "vpx-vp8");
    ASSERT_EQ(out["failed"].size(), 1u) << r.out;
    EXPECT_EQ(out["failed"][0]["encoder"], "x264-h264");
    EXPECT_NE(out["failed"][0]["reason"].get<std::string>().find("width must be even"), std::string::npos) << r.out;
}

TEST(CodecBench, AnUnknownEncoderIsAUsageErrorNamingTheKnownOnes) {
    TETHER_REQUIRE_BUILT("codec-vpx");
    TempDir dir;
    const auto r = run_command({tether_binary(), "bench", "codecs", "--clip",
                                std::string(TETHER_WORKLOADS_DIR) + "/window-drag-1080p.mkv", "--frames", "1",
                                "--encoders", "nosuch"},
                               60s, environment_of(dir));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--encoders nosuch: no encoder or codec of that name here; known: "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("vpx-vp9 (vp9)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tether::test
