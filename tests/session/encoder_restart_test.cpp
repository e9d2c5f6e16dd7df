// An encoder that fails a picture (a driver's can) costs that encoder, not
// the video: a new one starts with a keyframe and the pictures go on. One
// that keeps failing ends the video, saying why.
#include "build_parts.h"
#include "core/host_api.h"
#include "test_host.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

using namespace std::chrono_literals;

struct FlakyRun {
    std::vector<EncodedPacket> packets;
    VideoCounters counters;
    std::string error;
};

// The synthetic desktop through the flaky test encoder until `packets` came or the video failed.
FlakyRun run_flaky(const std::string& fail, size_t packets) {
    set_plugin_settings({{"flaky", {{"fail", fail}}}});
    auto options = test::synthetic_video("vp9", 160, 120);
    options.encoder = &test::test_plugin("encoder-flaky", TETHER_KIND_ENCODER, "flaky");
    Bus bus;
    VideoService video(bus, options);
    auto feed = video.subscribe("flaky", Delivery::backpressure(64));
    video.start();
    FlakyRun run;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (run.packets.size() < packets && video.error().empty() && std::chrono::steady_clock::now() < deadline)
        if (auto packet = feed->next(100ms)) run.packets.push_back(*packet);
    feed->close();
    video.stop();
    run.counters = video.counters();
    run.error = video.error();
    set_plugin_settings({});
    return run;
}

TEST(EncoderRestart, AnEncoderThatFailsAPictureIsMadeAgainAndThePicturesGoOn) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    const FlakyRun run = run_flaky("once", 10);
    EXPECT_EQ(run.error, "");
    ASSERT_EQ(run.packets.size(), 10u);
    EXPECT_EQ(run.counters.encoder_restarts, 1u);
    // Two pictures, the third failed and is gone, then a new encoder's keyframe.
    EXPECT_TRUE(run.packets[0].keyframe());
    EXPECT_FALSE(run.packets[1].keyframe());
    EXPECT_TRUE(run.packets[2].keyframe());
    EXPECT_GT(run.packets[2].frame_number, run.packets[1].frame_number + 1);
}

TEST(EncoderRestart, AnEncoderThatKeepsFailingEndsTheVideoSayingWhy) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    const FlakyRun run = run_flaky("always", 1000);
    EXPECT_NE(run.error.find("the device stopped answering"), std::string::npos) << run.error;
    EXPECT_EQ(run.counters.encoder_restarts, 3u);
}

}  // namespace
}  // namespace tether
