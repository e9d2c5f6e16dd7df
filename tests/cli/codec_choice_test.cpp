// Which encoder `tether host` streams with: the config's preference list, or
// --codec by codec or by encoder name; an unknown one is refused with the list.
// A viewer may ask for another codec with `tether connect --codec`.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"

#include <gtest/gtest.h>

namespace tether::test {
namespace {

TEST(CodecChoice, TheConfigsPreferenceListDecides) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    // lan.toml prefers VP8 (the built-in list prefers AV1, then VP9).
    RunningHost lan(dir, {"--config", std::string(TETHER_SOURCE_DIR) + "/config/lan.toml"});
    EXPECT_EQ(lan.ready["codec"], "vp8");
    TempDir other;
    RunningHost built_in(other);
    EXPECT_EQ(built_in.ready["codec"], built("codec-aom") ? "av1" : "vp9");
}

TEST(CodecChoice, CodecTakesACodecOrAnEncoderName) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost by_codec(dir, {"--codec", "vp8"});
    EXPECT_EQ(by_codec.ready["codec"], "vp8");
    TempDir other;
    RunningHost by_name(other, {"--config", std::string(TETHER_SOURCE_DIR) + "/config/lan.toml", "--codec", "vpx-vp9"});
    EXPECT_EQ(by_name.ready["codec"], "vp9");
}

TEST(CodecChoice, AnUnknownCodecIsRefusedWithWhatIsKnown) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-vpx");  // the capture is chosen first
    TempDir dir;
    const auto r = run_command({tether_binary(), "host", "--data-dir", (dir.path() / "host").string(), "--listen",
                                "127.0.0.1:0", "--codec", "nosuchcodec"},
                               std::chrono::seconds(30), environment_of(dir));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--codec nosuchcodec: no encoder here offers it; known: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("vp9 (vpx-vp9)"), std::string::npos) << r.err;
}

// The host prefers AV1 (or VP9); the viewer asks for VP8 once logged in and gets it from the switch's
// keyframe on, its frame numbers in order. A codec it cannot decode is a usage error.
TEST(CodecChoice, AViewerAsksForACodecAndGetsIt) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir);
    const auto r = connect(dir, host.address, host.password, {"--codec", "vp8"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto s = summary_of(r);
    EXPECT_EQ(s.value("codec", ""), "vp8") << s.dump();
    EXPECT_EQ(s.value("out_of_order", -1), 0) << s.dump();
    EXPECT_EQ(s.value("unreadable", -1), 0) << s.dump();
    const auto unknown = connect(dir, host.address, host.next_password(), {"--codec", "nosuchcodec"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
    EXPECT_NE(unknown.err.find("--codec nosuchcodec: no decoder here handles it; this viewer decodes "), std::string::npos)
        << unknown.err;
}

}  // namespace
}  // namespace tether::test
