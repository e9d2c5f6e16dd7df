// Either side may change codec mid-session: the viewer asks (SwitchCodec), the
// host's next picture is a keyframe of the new codec naming it, and nothing
// else is lost: the frame numbers the viewer reads back from the decoded
// pixels go on in order through VP9, AV1 and H.264.
#include "build_parts.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kCodecs{"vp9", "av1", "h264"};

// Until the viewer shows `codec`'s pictures and `more` of them, or `timeout` passed.
void wait_for_codec(const Viewer& viewer, const std::string& codec, uint64_t more, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (viewer.report().codec != codec && !viewer.ended() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    test::wait_for_frames(viewer, viewer.report().frames + more, timeout);
}

TEST(CodecSwitch, Vp9ThenAv1ThenH264KeepsTheFrameNumbersInOrderWithOnlyEachSwitchsKeyframeBetween) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-vpx", "codec-aom", "codec-x264", "transport-tcp");
    test::TestHost host(test::synthetic_video(kCodecs, 320, 240, Pacing::RealTime));
    auto viewer = host.viewer(test::view_only(kCodecs));
    host.video.start();
    test::wait_for_frames(*viewer, 20, 20s);
    ASSERT_EQ(viewer->report().codec, "vp9");
    for (const std::string codec : {"av1", "h264"}) {
        const ViewerReport before = viewer->report();
        ASSERT_TRUE(viewer->switch_codec(codec));
        wait_for_codec(*viewer, codec, 20, 20s);
        const ViewerReport after = viewer->report();
        EXPECT_EQ(after.codec, codec);
        // The switch's keyframe, and no other: nothing was missed that needed one.
        EXPECT_EQ(after.keyframes, before.keyframes + 1) << "switching to " << codec;
    }
    host.video.stop();
    std::this_thread::sleep_for(200ms);
    viewer->stop("test done");

    const ViewerReport r = viewer->report();
    EXPECT_EQ(r.codec_switches, 2u);
    EXPECT_EQ(r.decode_errors, 0u);
    EXPECT_EQ(r.out_of_order, 0u);
    // libaom at realtime speeds now and then leaves a small change uncoded for a picture
    // (docs/codecs.md): the stamp of such a picture cannot be read, its number is not counted.
    // How often depends on the pictures' timing (3 of about 75 in a sanitizer run): at most a tenth.
    RecordProperty("unreadable", std::to_string(r.unreadable) + " of " + std::to_string(r.frames));
    EXPECT_LE(r.unreadable * 10, r.frames) << r.unreadable << " of " << r.frames;
    ASSERT_EQ(r.frame_numbers.size(), r.frames - r.unreadable);
    for (size_t i = 1; i < r.frame_numbers.size(); ++i) EXPECT_GT(r.frame_numbers[i], r.frame_numbers[i - 1]) << i;
    const auto reports = host.server.reports();
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.front().codec_switches, 2u);
}

TEST(CodecSwitch, ACodecTheViewerDidNotOfferIsRefusedAndTheStreamGoesOn) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video(std::vector<std::string>{"vp9", "vp8"}, 320, 240, Pacing::RealTime));
    auto viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    test::wait_for_frames(*viewer, 10, 20s);
    ASSERT_TRUE(viewer->switch_codec("vp8"));  // the host sends it, but this viewer never said it decodes it
    ASSERT_TRUE(viewer->switch_codec("hevc"));  // nobody here has it
    const uint64_t frames = viewer->report().frames;
    test::wait_for_frames(*viewer, frames + 20, 20s);
    host.video.stop();
    viewer->stop("test done");
    const ViewerReport r = viewer->report();
    EXPECT_EQ(r.codec, "vp9");
    EXPECT_EQ(r.codec_switches, 0u);
    EXPECT_GE(r.frames, frames + 20);
    EXPECT_EQ(r.decode_errors, 0u);
}

}  // namespace
}  // namespace tether::session
