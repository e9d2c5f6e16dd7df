// A session on a direct UDP path (two cone NATs that pass no TCP to each
// other: a UDP punch, at once or after a start on the relay; EveryNatPair
// covers birthday probing): 5 % of what arrives at the viewer lost keeps it
// streaming at 25 fps or more — pictures lost and sent again, never the
// session — and the direct path dying (the viewer's NAT passes no more UDP,
// or `netsim.sh cut` takes its link down) carries the session on without a
// login: over the relay, or over a new punch once the link is back. A direct path that comes up only after the relay
// and its rendezvous server went carries the session on.
#include "build_parts.h"
#include "netsim_world.h"

#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <string>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// In the viewer's log once the session runs on UDP: reached there at once
// (the punch met before the relay answered) or moved there from the relay.
constexpr const char* kOnUdp = "udp (";

// The servers and the host, on two cone NATs that pass each other no TCP, so
// that the session's direct path is UDP.
void start_for_udp(NetsimWorld& world) {
    world.wall_between_nats(true, "tcp");
    world.start_server();
    world.start_host();
}

class DirectUdp : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        TETHER_REQUIRE_BUILT("transport-udp");
        if (const auto why = Netsim::unavailable()) GTEST_SKIP() << *why;
    }
};

TEST_F(DirectUdp, FivePercentLossKeepsItStreaming) {
    NetsimWorld world("cone", "cone");
    start_for_udp(world);
    const auto viewer = world.start_viewer(15);
    ASSERT_TRUE(viewer->wait_for_log(kOnUdp, 30s)) << viewer->stderr_text();
    // Loss from here on: it is the UDP session's to bear, not the punch's.
    world.net().loss("b", 5);
    const auto viewed = NetsimWorld::collect(*viewer, 60s);
    ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    const auto& s = viewed.summary;
    EXPECT_EQ(s.value("path", ""), "udp") << s.dump();
    EXPECT_GE(s.value("fps", 0.0), 25.0) << s.dump();
    EXPECT_EQ(s.value("out_of_order", -1), 0) << s.dump();
    // About 20 pictures lost on the way over the direct path, asked for again.
    EXPECT_GT(s.value("resend_requests", 0), 0) << s.dump();
    std::cout << "5 % loss at the viewer: " << s.dump() << std::endl;
}

// Where the session's paths first reach UDP: 0 when it started there, 1 when it moved there.
size_t first_udp(const nlohmann::json& paths) {
    for (size_t i = 0; i < paths.size(); ++i)
        if (paths[i].value("path", "") == "udp") return i;
    return paths.size();
}

// A session on UDP, whose direct path `kill` then ends; its summary once over.
nlohmann::json after_the_direct_path_dies(const std::function<void(Netsim&)>& kill) {
    NetsimWorld world("cone", "cone");
    start_for_udp(world);
    const auto viewer = world.start_viewer(20);
    if (!viewer->wait_for_log(kOnUdp, 30s)) {
        ADD_FAILURE() << "never on UDP: " << viewer->stderr_text();
        return nlohmann::json::object();
    }
    kill(world.net());
    const auto viewed = NetsimWorld::collect(*viewer, 60s);
    EXPECT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    const auto& s = viewed.summary;
    EXPECT_EQ(s.value("resumed", 0), 1) << s.dump();
    EXPECT_EQ(s.value("out_of_order", -1), 0) << s.dump();
    EXPECT_GT(s.value("frames", 0), 300) << s.dump();
    // UDP (from the start, or moved to from the relay), then a path the resume found.
    const auto paths = s.value("paths", nlohmann::json::array());
    if (first_udp(paths) + 1 >= paths.size()) ADD_FAILURE() << "no path after UDP: " << s.dump();
    // Every other change of path was a move.
    EXPECT_EQ(s.value("moved", 0), paths.size() - 2) << s.dump();
    return s;
}

// The path the session resumed on once its direct path was lost.
std::string path_after_udp(const nlohmann::json& summary) {
    const auto paths = summary.value("paths", nlohmann::json::array());
    const size_t udp = first_udp(paths);
    return udp + 1 < paths.size() ? paths[udp + 1].value("path", "") : "";
}

TEST_F(DirectUdp, ADirectPathThatDiesFallsBackToTheRelay) {
    // TCP, and with it the relay, still passes.
    const auto s = after_the_direct_path_dies(
        [](Netsim& net) { net.exec("nat-b", {"iptables", "-I", "FORWARD", "-p", "udp", "-j", "DROP"}); });
    EXPECT_EQ(path_after_udp(s), "relay") << s.dump();
    EXPECT_EQ(s.value("path", ""), "relay") << s.dump();
    // The viewer takes 2 s of silence for a dead path, then the relay is a lookup away.
    EXPECT_LT(s.value("max_gap_ms", 1e9), 8000.0) << s.dump();
    std::cout << "direct path dropped: " << s.value("paths", nlohmann::json::array()).dump() << ", longest freeze " << s.value("max_gap_ms", 0.0)
              << " ms" << std::endl;
}

TEST_F(DirectUdp, ACutLinkComesBackAndEndsOnTheDirectPathAgain) {
    // `netsim.sh cut b 3`: every path of the viewer down for 3 s.
    constexpr int kCutSeconds = 3;
    const auto s = after_the_direct_path_dies([](Netsim& net) { net.cut("b", kCutSeconds); });
    // Once the link is back, the resume races the relay against a new punch: either may carry it first,
    // and the session ends on the direct path again.
    const auto resumed_on = path_after_udp(s);
    EXPECT_TRUE(resumed_on == "relay" || resumed_on == "udp") << s.dump();
    EXPECT_EQ(s.value("path", ""), "udp") << s.dump();
    // The cut itself, then at most 5 s to be back.
    EXPECT_LT(s.value("max_gap_ms", 1e9), (kCutSeconds + 5) * 1000.0) << s.dump();
    std::cout << "link cut for " << kCutSeconds << " s: " << s.value("paths", nlohmann::json::array()).dump() << ", longest freeze "
              << s.value("max_gap_ms", 0.0) << " ms" << std::endl;
}

TEST_F(DirectUdp, ADirectPathThatComesUpAfterTheServerWentCarriesTheSessionOn) {
    NetsimWorld world("cone", "cone");
    // Nothing passes between the two NATs: the session starts on the relay while the punches go on.
    world.wall_between_nats(true);
    world.start_server();
    world.start_host();
    const auto viewer = world.start_viewer(20);
    ASSERT_TRUE(viewer->wait_for_log("over relay", 30s)) << viewer->stderr_text();
    world.stop_server();  // the relay, and the rendezvous server a resume would ask
    world.wall_between_nats(false);
    NetsimWorld::end_after_log(*viewer, kOnUdp, 20s);
    const auto viewed = NetsimWorld::collect(*viewer, 60s);
    ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    const auto& s = viewed.summary;
    const auto paths = s.value("paths", nlohmann::json::array());
    ASSERT_EQ(paths.size(), 2u) << s.dump();
    EXPECT_EQ(paths[0].value("path", ""), "relay") << s.dump();
    EXPECT_NE(paths[1].value("path", "relay"), "relay") << s.dump();
    EXPECT_EQ(s.value("resumed", 0), 1) << s.dump();
    EXPECT_EQ(s.value("out_of_order", -1), 0) << s.dump();
    std::cout << "server gone, direct path later: " << paths.dump() << ", longest freeze " << s.value("max_gap_ms", 0.0)
              << " ms" << std::endl;
}

}  // namespace
}  // namespace tether::test
