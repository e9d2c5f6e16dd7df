// What a viewer sends back (Viewer::send_input, send_clipboard) reaches the
// host only where the session was granted it: input arrives on the host's
// "services" topic, as the host's input service takes it.
#include "build_parts.h"
#include "session/permissions.h"
#include "session/protocol.h"
#include "session/service_host.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// Until the host answered the login (no pictures are needed here).
void wait_for_login(const Viewer& viewer) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!viewer.logged_in() && !viewer.ended() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
}

proto::InputEvent return_key_down() {
    proto::InputEvent event;
    event.mutable_key()->set_keysym(0xff0d);
    event.mutable_key()->set_down(true);
    return event;
}

TEST(ViewerInput, InputReachesTheHostWhenTheSessionWasGrantedInput) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 160, 120));
    const auto input = host.bus.topic<ServiceEvent>(kServicesTopic)->subscribe(Delivery::backpressure(16));
    auto options = test::view_only("vp9");
    options.permissions = kView | kInput;
    auto viewer = host.viewer(options);
    wait_for_login(*viewer);
    ASSERT_EQ(viewer->granted(), kView | kInput);
    EXPECT_TRUE(viewer->send_input(return_key_down()));
    const auto arrived = input->next(10s);
    ASSERT_TRUE(arrived.has_value());
    ASSERT_EQ(arrived->topic, "input");
    tether_input_event key{};
    ASSERT_EQ(arrived->data.size(), sizeof key);
    std::memcpy(&key, arrived->data.data(), sizeof key);
    EXPECT_EQ(key.keysym, 0xff0du);
    EXPECT_EQ(key.down, 1u);
    EXPECT_FALSE(viewer->send_clipboard(proto::ClipboardText::CLIPBOARD, "not asked for"));
    viewer->stop("done");
    const auto sessions = host.ended_sessions(1, 10s);
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].input_accepted, 1u);
    EXPECT_EQ(viewer->report().input_sent, 1u);
    EXPECT_EQ(viewer->report().clipboard_sent, 0u);
}

TEST(ViewerInput, AViewOnlySessionSendsNoInputAtAll) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 160, 120));
    auto viewer = host.viewer(test::view_only("vp9"));
    wait_for_login(*viewer);
    EXPECT_FALSE(viewer->send_input(return_key_down()));
    viewer->stop("done");
    const auto sessions = host.ended_sessions(1, 10s);
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].input_accepted, 0u);
    EXPECT_EQ(sessions[0].input_refused, 0u);  // nothing went out to be refused
    EXPECT_EQ(viewer->report().input_sent, 0u);
}

TEST(ViewerInput, ClipboardTextOverTheLimitIsNotSent) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp9", 160, 120));
    auto options = test::view_only("vp9");
    options.permissions = kView | kClipboard;
    auto viewer = host.viewer(options);
    wait_for_login(*viewer);
    ASSERT_EQ(viewer->granted(), kView | kClipboard);
    EXPECT_FALSE(viewer->send_clipboard(proto::ClipboardText::CLIPBOARD, std::string(kMaxClipboardBytes + 1, 'x')));
    EXPECT_FALSE(viewer->ended());
    EXPECT_EQ(viewer->report().clipboard_sent, 0u);
}

}  // namespace
}  // namespace tether::session
