// A plugin built for an older minor version of the ABI keeps loading and
// working: the same capture plugin source, compiled against the frozen 1.0
// header kept in tests/abi/1.0 and against today's, streams through the real
// encoder, transport and decoder to a viewer.
#include "build_parts.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// Pictures from `capture` reach a viewer through vpx-vp9 and TCP, decoded at their size.
void expect_streams(const Factory& capture) {
    auto options = test::synthetic_video("vp9", 320, 240);
    options.capture = &capture;
    test::TestHost host(options);
    auto viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    test::wait_for_frames(*viewer, 20, 30s);
    host.video.stop();
    viewer->stop("test done");
    const ViewerReport r = viewer->report();
    EXPECT_GE(r.frames, 20u);
    EXPECT_EQ(r.width, 320u);
    EXPECT_EQ(r.height, 240u);
    EXPECT_EQ(r.decode_errors, 0u);
}

TEST(AbiCompatibility, APluginBuiltAgainstTheFrozen10HeaderLoadsAndStreams) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    const Factory& capture = test::test_plugin("capture-abi-1-0", TETHER_KIND_CAPTURE, "abi-1.0");
    EXPECT_EQ(capture.abi_version(), TETHER_ABI_VERSION(1, 0));
    // Its table ends where 1.0's did; the host reads nothing after that.
    EXPECT_EQ(capture.table<tether_capture_vtable>().struct_size, TETHER_CAPTURE_VTABLE_SIZE_1_0);
    const tether_capture_config config{sizeof(tether_capture_config), 64, 48, 30, nullptr, 0};
    EXPECT_EQ(CaptureSource(capture, config).extension("tether.test.grabbed/1"), nullptr);
    expect_streams(capture);
}

TEST(AbiCompatibility, APluginOfTodaysMinorMayOfferPerObjectExtensionsOrLeaveThemOut) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    const Factory& capture = test::test_plugin("capture-abi-current", TETHER_KIND_CAPTURE, "abi-current");
    EXPECT_EQ(capture.abi_version(), TETHER_ABI_CURRENT);
    const tether_capture_config config{sizeof(tether_capture_config), 64, 48, 30, nullptr, 0};
    CaptureSource source(capture, config);
    const auto* grabbed = static_cast<const uint64_t*>(source.extension("tether.test.grabbed/1"));
    ASSERT_NE(grabbed, nullptr);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(source.grab());
    EXPECT_EQ(*grabbed, 3u);  // the extension is this object's own
    EXPECT_EQ(source.extension("tether.test.grabbed/2"), nullptr);
    expect_streams(capture);

    // The real plugins speak today's minor and leave the new function out.
    const Factory& synthetic = test::plugin(TETHER_KIND_CAPTURE, "synthetic");
    EXPECT_EQ(synthetic.abi_version(), TETHER_ABI_CURRENT);
    EXPECT_EQ(synthetic.table<tether_capture_vtable>().get_extension, nullptr);
    EXPECT_EQ(CaptureSource(synthetic, config).extension("tether.test.grabbed/1"), nullptr);
}

}  // namespace
}  // namespace tether::session
