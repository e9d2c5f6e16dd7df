// A session moved to another path while the user types (Viewer::move_to, the
// way `tether connect` takes a direct path that came up after the relay):
// every input event sent before, during and after the move reaches the host
// once and in order, no new login, and pictures stay in order across it.
#include "build_parts.h"
#include "session/permissions.h"
#include "session/service_host.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

proto::InputEvent key_numbered(uint32_t n) {
    proto::InputEvent event;
    event.mutable_key()->set_keysym(n);
    event.mutable_key()->set_down(true);
    return event;
}

TEST(PathMove, InputSentDuringAMoveArrivesOnceAndInOrder) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp8", 160, 120, Pacing::FixedTick));
    ResumeTickets tickets(30s);
    host.context.resume_tickets = &tickets;
    const auto input = host.bus.topic<ServiceEvent>(kServicesTopic)->subscribe(Delivery::backpressure(1 << 14));
    auto options = test::view_only("vp8");
    options.permissions = kView | kInput;
    auto viewer = host.viewer(options);
    host.video.start();
    test::wait_for_frames(*viewer, 10, 30s);
    ASSERT_TRUE(viewer->can_move()) << viewer->report().end_reason;

    // A typist as fast as the viewer takes input, across the whole move.
    std::atomic<bool> typing{true};
    std::atomic<uint32_t> sent{0};
    std::thread typist([&] {
        while (typing) {
            if (viewer->send_input(key_numbered(sent))) ++sent;
            std::this_thread::sleep_for(200us);
        }
    });
    std::this_thread::sleep_for(200ms);
    auto transport = Transport::create(test::plugin(TETHER_KIND_TRANSPORT, "tcp"));
    auto channel = net::SecureChannel::connect(transport->connect(host.server.address(), 5s),
                                               [&](const std::string&, const security::PublicKey& key) {
                                                   if (key != host.identity.public_key) throw net::HandshakeError("not our host");
                                               });
    const uint64_t before = viewer->report().frames;
    ASSERT_TRUE(viewer->move_to(std::move(channel)));
    test::wait_for_frames(*viewer, before + 20, 30s);
    std::this_thread::sleep_for(200ms);
    typing = false;
    typist.join();
    ASSERT_GT(sent.load(), 100u);

    std::vector<uint32_t> arrived;
    while (arrived.size() < sent) {
        const auto event = input->next(10s);
        if (!event) break;
        if (event->topic != "input") continue;
        tether_input_event key{};
        ASSERT_EQ(event->data.size(), sizeof key);
        std::memcpy(&key, event->data.data(), sizeof key);
        arrived.push_back(key.keysym);
    }
    ASSERT_EQ(arrived.size(), sent.load());
    for (uint32_t i = 0; i < arrived.size(); ++i) ASSERT_EQ(arrived[i], i) << "event " << i << " of " << arrived.size();
    while (const auto more = input->next(300ms)) EXPECT_NE(more->topic, "input") << "an event arrived twice";

    const ViewerReport r = viewer->report();
    viewer->stop("test done");
    EXPECT_EQ(r.moved, 1u);
    EXPECT_EQ(r.out_of_order, 0u);
    EXPECT_TRUE(r.end_reason.empty()) << r.end_reason;
}

}  // namespace
}  // namespace tether::session
