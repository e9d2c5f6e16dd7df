// A real desktop changes size (a resolution change, a monitor plugged in)
// and often does not change at all. The test capture plugin does both on
// request; the session goes on through the real encoder, TCP and decoder.
// And while nobody watches, nothing is captured or encoded at all.
#include "build_parts.h"
#include "core/host_api.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// The test capturer with one `[plugins.abi-current]` setting, as a configuration file would give it.
VideoServiceOptions capture_that(const std::string& key, const std::string& value) {
    auto options = test::synthetic_video("vp9", 320, 240);
    options.capture = &test::test_plugin("capture-abi-current", TETHER_KIND_CAPTURE, "abi-current");
    set_plugin_settings({{"abi-current", {{key, value}}}});
    return options;
}

void wait_for_frames(const Viewer& viewer, uint64_t frames) { test::wait_for_frames(viewer, frames, 60s); }

TEST(PictureChanges, ACaptureThatChangesSizeEveryFiftyPicturesStreamsOnAndTheViewerFollows) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(capture_that("resize-every", "50"));
    auto viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    wait_for_frames(*viewer, 230);  // four changes of size
    EXPECT_FALSE(viewer->ended()) << viewer->report().end_reason;
    host.video.stop();
    viewer->stop("test done");

    const ViewerReport r = viewer->report();
    EXPECT_GE(r.frames, 230u);
    EXPECT_EQ(r.decode_errors, 0u);
    ASSERT_GE(r.sizes.size(), 4u);
    for (size_t i = 0; i < r.sizes.size(); ++i) {
        const auto expected = i % 2 == 0 ? std::pair{320u, 240u} : std::pair{160u, 120u};
        EXPECT_EQ(r.sizes[i], expected) << "size " << i;
    }
    EXPECT_EQ(std::pair(r.width, r.height), r.sizes.back());
    EXPECT_GE(host.video.counters().resizes, 4u);
}

TEST(PictureChanges, NothingNewIsNeitherEncodedNorSent) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(capture_that("unchanged-every", "2"));  // every other grab finds nothing new
    auto viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    wait_for_frames(*viewer, 40);
    host.video.stop();
    viewer->stop("test done");

    const VideoCounters c = host.video.counters();
    EXPECT_GE(c.unchanged + 1, c.captured);  // as many grabs found nothing as found a picture
    EXPECT_LE(c.unchanged, c.captured);
    EXPECT_LE(c.encoded, c.captured);  // only pictures were encoded
    const ViewerReport r = viewer->report();
    EXPECT_GE(r.frames, 40u);
    EXPECT_LE(r.frames, c.encoded);
    EXPECT_EQ(r.decode_errors, 0u);
}

TEST(PictureChanges, NobodyWatchingMeansNothingIsCapturedOrEncoded) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 160, 120, Pacing::RealTime));
    host.video.start();
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (host.video.counters().unwatched_ticks < 10 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    VideoCounters idle = host.video.counters();
    EXPECT_GE(idle.unwatched_ticks, 10u);
    EXPECT_EQ(idle.captured, 0u);
    EXPECT_EQ(idle.encoded, 0u);

    auto viewer = host.viewer(test::view_only("vp9"));  // someone watches: pictures flow
    wait_for_frames(*viewer, 10);
    EXPECT_GE(viewer->report().frames, 10u);
    viewer->stop("test done");
    host.video.stop();
}

}  // namespace
}  // namespace tether::session
