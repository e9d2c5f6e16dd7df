// `tether demo` end to end: real plugins, real TCP on 127.0.0.1, real decode.
// Speed targets are checked by `tether demo`/`tether bench` runs recorded in
// docs/benchmarks.md, not here; this checks what it reports and writes.
#include "build_parts.h"
#include "process.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// Width and height from a PNG's IHDR chunk.
std::pair<uint32_t, uint32_t> png_size(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<unsigned char, 24> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    const std::array<unsigned char, 8> signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!in || !std::equal(signature.begin(), signature.end(), head.begin())) return {0, 0};
    auto be32 = [&](size_t at) {
        return uint32_t{head[at]} << 24 | uint32_t{head[at + 1]} << 16 | uint32_t{head[at + 2]} << 8 | head[at + 3];
    };
    return {be32(16), be32(20)};
}

TEST(Demo, JsonSummaryAndPng) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TETHER_REQUIRE_BUILT("png-output");
    TempDir dir;
    const auto png = dir.path() / "last.png";
    const auto r = run_command({tether_binary(), "demo", "--seconds", "3", "--size", "640x360", "--codec", "vp8", "--json",
                                "--png", png.string()},
                               120s, {{"XDG_CONFIG_HOME", dir.path().string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto s = nlohmann::json::parse(r.out);  // exactly one JSON object on stdout
    for (const char* key : {"frames", "fps", "latency_ms", "bytes_per_s", "codec", "transport", "width", "height", "dropped",
                            "cpu_ms_per_frame", "rss_mb"})
        EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s["codec"], "vp8");
    EXPECT_EQ(s["transport"], "tcp");
    EXPECT_EQ(s["width"], 640);
    EXPECT_EQ(s["height"], 360);
    EXPECT_GT(s["frames"].get<int>(), 10);
    EXPECT_EQ(s["unreadable"], 0);
    EXPECT_EQ(s["out_of_order"], 0);
    EXPECT_GT(s["latency_ms"]["p50"].get<double>(), 0.0);
    EXPECT_GE(s["latency_ms"]["p99"].get<double>(), s["latency_ms"]["p50"].get<double>());
    EXPECT_GT(s["bytes_per_s"].get<double>(), 0.0);
    EXPECT_EQ(png_size(png), std::make_pair(640u, 360u));
}

// The new codecs stream end to end, asked for by encoder name or by codec.
TEST(Demo, StreamsAv1AndH264ByEncoderOrCodec) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-aom", "codec-x264", "transport-tcp");
    for (const auto& [asked, codec] : {std::pair{"aom-av1", "av1"}, std::pair{"h264", "h264"}}) {
        SCOPED_TRACE(asked);
        TempDir dir;
        const auto r = run_command({tether_binary(), "demo", "--seconds", "2", "--size", "640x360", "--codec", asked,
                                    "--json"},
                                   120s, {{"XDG_CONFIG_HOME", dir.path().string()}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto s = nlohmann::json::parse(r.out);
        EXPECT_EQ(s["codec"], codec);
        EXPECT_GT(s["frames"].get<int>(), 10);
        EXPECT_EQ(s["out_of_order"], 0);
        EXPECT_EQ(s["frames_lost"], 0);
    }
}

TEST(Demo, StopsCleanlyOnSigint) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    const auto out = dir.path() / "out.json";
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        freopen(out.c_str(), "w", stdout);
        setenv("XDG_CONFIG_HOME", dir.path().c_str(), 1);
        execl(tether_binary().c_str(), "tether", "demo", "--seconds", "600", "--size", "320x240", "--json", nullptr);
        _exit(127);
    }
    std::this_thread::sleep_for(2s);
    kill(pid, SIGINT);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (waitpid(pid, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    if (std::chrono::steady_clock::now() >= deadline) kill(pid, SIGKILL);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    std::ifstream in(out);
    const auto s = nlohmann::json::parse(in);
    EXPECT_LT(s["seconds"].get<double>(), 30.0);
    EXPECT_GT(s["frames"].get<int>(), 0);
}

}  // namespace
}  // namespace tether::test
