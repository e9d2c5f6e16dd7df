// A logged-in viewer tells the host it is there (its statistics, once a
// second); one that falls silent (a dead link, a stopped process) has its
// session ended, so that what it held down is let go.
#include "build_parts.h"
#include "raw_session.h"
#include "session/permissions.h"
#include "tcp_proxy.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

TEST(ViewerSilence, ASilentViewersSessionEndsAndARealViewerStays) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 160, 120));
    host.context.limits.viewer_silence = 2s;
    // A raw session that logs in and then says nothing, as a viewer behind a dead link.
    test::RawSession silent(host.server.address());
    ASSERT_TRUE(silent.log_in(host.authenticator.one_time_password(), kInput, {"vp9"}).ok());
    // A real viewer, which sends its statistics.
    auto viewer = host.viewer(test::view_only("vp9"));
    const auto ended = host.ended_sessions(1, 20s);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended.front().end_reason, "viewer silent for 2 s");
    EXPECT_EQ(ended.front().permissions, static_cast<uint32_t>(kInput));
    // Twice the silence later, the real viewer still watches.
    std::this_thread::sleep_for(4s);
    EXPECT_FALSE(viewer->ended()) << viewer->report().end_reason;
    viewer->stop("done");
}

// The other way: a viewer takes its path for dead when it hears nothing from the host for its
// silence bound, but a picture that takes longer than that to arrive whole is heard arriving
// (transport-tcp counts its bytes, ABI 1.7): a thin path keeps its session.
TEST(ViewerSilence, APictureThatTakesLongerThanTheSilenceBoundToArriveKeepsThePath) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 1920, 1080));
    test::TcpProxy thin(host.server.address());
    thin.set_cap_kbps(150);  // the first keyframe, tens of kilobytes, takes seconds
    auto options = test::view_only("vp9");
    options.host_silence = 500ms;
    auto viewer = host.viewer(options, {}, thin.address());
    const auto started = std::chrono::steady_clock::now();
    host.video.start();
    test::wait_for_frames(*viewer, 1, 30s);
    // The first picture took twice the silence bound and more to come whole (else this proves nothing).
    EXPECT_GT(std::chrono::steady_clock::now() - started, 1s);
    test::wait_for_frames(*viewer, 5, 30s);
    const ViewerReport report = viewer->report();
    EXPECT_GE(report.frames, 5u) << report.end_reason;
    EXPECT_FALSE(viewer->ended()) << report.end_reason;
    host.video.stop();
    viewer->stop("done");
}

}  // namespace
}  // namespace tether::session
