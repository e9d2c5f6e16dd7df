// Pictures over transport-udp's media lane (docs/protocol.md §3a), through a
// relay that loses datagrams both ways: the session lives, every picture
// shown comes in the order it was captured, the ones lost are asked for again
// and sent again, and the control lane loses nothing.
#include "build_parts.h"
#include "test_host.h"
#include "udp_relay.h"

#include <gtest/gtest.h>

#include <iostream>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using test::TestHost;

uint64_t host_total(TestHost& host, uint64_t HostSessionReport::*field) {
    uint64_t total = 0;
    for (const auto& s : host.server.reports()) total += s.*field;
    return total;
}

TEST(MediaLane, PicturesLostOnTheWayAreSentAgainAndShownInOrder) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-vpx", "transport-udp");
    TestHost host(test::synthetic_video("vp8", 160, 120, Pacing::FixedTick), {}, "udp");
    test::UdpRelay lossy(host.server.address());
    lossy.drop_percent(10);
    auto viewer = host.viewer(test::view_only("vp8"), {}, lossy.address());
    host.video.start();
    // Enough pictures that a 10 % loss is certain to take some (the chance of none is below 1e-4).
    test::wait_for_frames(*viewer, 90, 60s);
    const ViewerReport r = viewer->report();
    viewer->stop("test done");
    host.video.stop();

    EXPECT_TRUE(r.end_reason.empty()) << r.end_reason;
    ASSERT_GE(r.frames, 90u);
    EXPECT_EQ(r.out_of_order, 0u);
    EXPECT_EQ(r.decode_errors, 0u);
    for (size_t i = 1; i < r.frame_numbers.size(); ++i) EXPECT_GT(r.frame_numbers[i], r.frame_numbers[i - 1]);
    EXPECT_GT(r.resend_requests, 0u);
    EXPECT_GT(host_total(host, &HostSessionReport::frames_resent), 0u);
    // Pictures sent again arrive: at 10 % loss the few given up on are a small part.
    EXPECT_LT(r.frames_lost * 10, r.frames);
    std::cout << "10 % loss both ways: " << r.frames << " pictures shown, " << r.resend_requests
              << " gaps asked for again, " << host_total(host, &HostSessionReport::frames_resent) << " sent again, "
              << r.frames_lost << " given up, " << r.keyframe_requests << " keyframe requests" << std::endl;
}

TEST(MediaLane, TcpHasNoneAndLosesNothing) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video("vp8", 160, 120, Pacing::FixedTick));
    auto viewer = host.viewer(test::view_only("vp8"));
    host.video.start();
    test::wait_for_frames(*viewer, 30, 30s);
    const ViewerReport r = viewer->report();
    viewer->stop("test done");
    host.video.stop();
    ASSERT_GE(r.frames, 30u);
    EXPECT_EQ(r.resend_requests, 0u);
    EXPECT_EQ(r.frames_lost, 0u);
    EXPECT_EQ(host_total(host, &HostSessionReport::frames_resent), 0u);
}

}  // namespace
}  // namespace tether::session
