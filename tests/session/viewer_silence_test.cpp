// A logged-in viewer tells the host it is there (its statistics, once a
// second); one that falls silent (a dead link, a stopped process) has its
// session ended, so that what it held down is let go.
#include "build_parts.h"
#include "raw_session.h"
#include "session/permissions.h"
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

}  // namespace
}  // namespace tether::session
