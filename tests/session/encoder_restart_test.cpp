// An encoder that fails a picture (a driver's can) costs that encoder, not
// the video: a new one starts with a keyframe and the pictures go on. One
// that keeps failing costs its codec: its sessions move to another codec
// their viewer decodes, and with none left the video ends, saying why.
#include "build_parts.h"
#include "core/host_api.h"
#include "raw_session.h"
#include "session/permissions.h"
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

// A raw viewer's pictures until one of `codec` comes as a keyframe naming it; the codecs seen, in order.
std::vector<std::string> codecs_until(test::RawSession& viewer, const std::string& codec) {
    std::vector<std::string> seen;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto message = viewer.receive(1s);
        if (!message || !message->has_video_frame() || message->video_frame().codec().empty()) continue;
        if (seen.empty() || seen.back() != message->video_frame().codec()) seen.push_back(message->video_frame().codec());
        if (seen.back() == codec) break;
    }
    return seen;
}

TEST(EncoderRestart, AnEncoderThatKeepsFailingBesideAnotherCodecLosesItsCodecAndTheSessionMovesOn) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-vpx");
    set_plugin_settings({{"flaky", {{"fail", "always"}}}});
    auto options = test::synthetic_video("vp9", 160, 120, Pacing::RealTime);
    options.other_encoders = {options.encoder};
    options.encoder = &test::test_plugin("encoder-flaky", TETHER_KIND_ENCODER, "flaky");
    test::TestHost host(options);
    host.video.start();
    // A viewer that decodes both (it only reads what comes): the host's first choice is the flaky one.
    test::RawSession viewer(host.server.address());
    ASSERT_TRUE(viewer.log_in(host.authenticator.one_time_password(), session::kView, {"flaky", "vp9"}).ok());
    EXPECT_EQ(codecs_until(viewer, "vp9"), (std::vector<std::string>{"flaky", "vp9"}));
    EXPECT_EQ(host.video.error(), "");
    EXPECT_FALSE(host.video.usable("flaky"));
    EXPECT_EQ(host.video.codec_for({"flaky", "vp9"}), "vp9");
    EXPECT_EQ(host.video.counters().codecs_lost, 1u);
    // A viewer that decodes nothing else is told why.
    test::RawSession only_flaky(host.server.address());
    const auto answer = only_flaky.log_in(host.authenticator.one_time_password(), session::kView, {"flaky"});
    EXPECT_NE(answer.reason().find("decodes none of the codecs"), std::string::npos) << answer.reason();
    host.video.stop();
    set_plugin_settings({});
}

}  // namespace
}  // namespace tether
