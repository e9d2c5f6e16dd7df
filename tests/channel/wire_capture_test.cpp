// What an observer on the path sees: a recording of a whole session's bytes
// holds no plaintext of the pictures, the password, the host's ID or key,
// or the session's messages.
#include "build_parts.h"
#include "core/version.h"
#include "tcp_proxy.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

bool contains(const std::vector<uint8_t>& haystack, std::span<const uint8_t> needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}
std::span<const uint8_t> text(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(WireCapture, NoPlaintextAfterTheHello) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    VideoServiceOptions video = test::synthetic_video("vp9", 320, 240);
    video.pacing = Pacing::RealTime;  // a live desktop's pace, through the relay
    test::TestHost host(std::move(video));
    auto packets = host.video.subscribe(Delivery::window(256));
    test::TcpProxy proxy(host.server.address());
    const std::string password = host.authenticator.one_time_password();
    auto viewer = host.viewer(test::view_only("vp9"), password, proxy.address());
    host.video.start();
    test::wait_for_frames(*viewer, 20, 20s);
    host.video.stop();
    viewer->stop("test done");
    ASSERT_GE(viewer->report().frames, 20u);

    const std::vector<uint8_t> wire = proxy.recorded();
    ASSERT_GT(wire.size(), 10'000u);
    EXPECT_FALSE(contains(wire, text(password)));
    EXPECT_FALSE(contains(wire, text(host.identity.peer_id)));
    EXPECT_FALSE(contains(wire, host.identity.public_key));
    EXPECT_FALSE(contains(wire, text(kAppVersion)));  // sent in both Hellos, inside the channel
    size_t pictures_checked = 0;
    while (auto packet = packets->next(0ms)) {
        if (packet->data.size() < 64) continue;
        // Any 32 bytes of a picture would give it away.
        EXPECT_FALSE(contains(wire, packet->data.bytes().subspan(packet->data.size() / 2, 32)));
        ++pictures_checked;
    }
    EXPECT_GE(pictures_checked, 10u);
}

}  // namespace
}  // namespace tether::session
