// Pictures travel capture -> encoder plugin -> TCP plugin -> decoder plugin
// through real sockets and the encrypted session, and the frame numbers read
// back from the decoded pixels arrive complete and in order.
#include "raw_session.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using test::TestHost;

void expect_complete_and_in_order(const ViewerReport& r) {
    ASSERT_GE(r.frames, 10u);
    EXPECT_EQ(r.unreadable, 0u);
    EXPECT_EQ(r.out_of_order, 0u);
    EXPECT_EQ(r.missing, 0u);
    EXPECT_EQ(r.decode_errors, 0u);
    ASSERT_EQ(r.frame_numbers.size(), r.frames);
    for (size_t i = 1; i < r.frame_numbers.size(); ++i) EXPECT_EQ(r.frame_numbers[i], r.frame_numbers[i - 1] + 1);
    for (int64_t latency : r.latencies_us) EXPECT_GE(latency, 0);
}

class CodecStream : public ::testing::TestWithParam<std::string> {};

TEST_P(CodecStream, FrameNumbersSurviveEncodeTransportDecodeInOrder) {
    TestHost host(test::synthetic_video(GetParam(), 320, 240));
    auto viewer = host.viewer(test::view_only(GetParam()));
    host.video.start();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (viewer->report().frames < 40 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    host.video.stop();
    std::this_thread::sleep_for(200ms);  // let the last pictures land
    viewer->stop("test done");

    const ViewerReport r = viewer->report();
    EXPECT_TRUE(r.logged_in);
    EXPECT_EQ(r.codec, GetParam());
    EXPECT_EQ(r.width, 320u);
    EXPECT_EQ(r.height, 240u);
    expect_complete_and_in_order(r);  // from the keyframe the session joined at
    EXPECT_TRUE(host.video.error().empty()) << host.video.error();
}

INSTANTIATE_TEST_SUITE_P(Vpx, CodecStream, ::testing::Values("vp8", "vp9"));

TEST(Stream, ViewerThatDoesNotReadDoesNotStallAnother) {
    TestHost host(test::synthetic_video("vp9", 640, 360));
    // Logs in, asks for video, then never reads a byte.
    test::RawSession stuck(host.server.address());
    ASSERT_TRUE(stuck.log_in(host.authenticator.one_time_password(), kView, {"vp9"}).ok());
    auto viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    std::this_thread::sleep_for(3s);
    host.video.stop();
    std::this_thread::sleep_for(200ms);
    viewer->stop("test done");

    const ViewerReport r = viewer->report();
    expect_complete_and_in_order(r);
    // The reader got every picture the shared encoder made: nothing waited for the stuck one.
    EXPECT_GE(r.frames + 2, host.video.counters().encoded);
}

TEST(Stream, HostRefusesViewerThatCannotDecodeItsCodec) {
    TestHost host(test::synthetic_video("vp9", 320, 240));
    auto viewer = host.viewer(test::view_only("vp8"));
    host.video.start();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!viewer->ended() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    host.video.stop();
    EXPECT_TRUE(viewer->ended());
    EXPECT_NE(viewer->report().end_reason.find("viewer cannot decode vp9"), std::string::npos)
        << viewer->report().end_reason;
    EXPECT_EQ(viewer->report().frames, 0u);
}

}  // namespace
}  // namespace tether::session
