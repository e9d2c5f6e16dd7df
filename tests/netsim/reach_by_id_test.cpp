// Connecting by ID across the simulated internet, for every pair of NAT
// modes: the session comes up and streams, over TCP direct where one side can
// be dialed (a host without NAT, or a viewer the host dials back) and through
// the relay otherwise — the test asserts which path, not only that frames flow.
#include "build_parts.h"
#include "netsim_world.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kModes = {"none", "cone", "sym", "block-udp"};

// TCP where one side can be dialed, or both NATs keep a port for every
// destination (a TCP punch from the listening ports; two cone NATs let a UDP
// punch through as well, and whichever is first is as direct); UDP by the
// birthday trick, after a start on the relay, where one NAT keeps ports and
// the other maps a new one per destination; the relay for two of those, or
// for one of them and a network without UDP.
std::vector<std::string> expected_paths(const std::string& host, const std::string& viewer) {
    if (host == "none" || viewer == "none") return {"tcp"};
    if (host == "cone" && viewer == "cone") return {"tcp", "udp"};
    const auto keeps_ports = [](const std::string& mode) { return mode == "cone" || mode == "block-udp"; };
    if (keeps_ports(host) && keeps_ports(viewer)) return {"tcp"};
    if ((host == "cone" && viewer == "sym") || (host == "sym" && viewer == "cone")) return {"udp"};
    return {"relay"};
}

class OnNetsim : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        if (const auto why = Netsim::unavailable()) GTEST_SKIP() << *why;
    }
};

class ReachById : public OnNetsim, public ::testing::WithParamInterface<std::tuple<std::string, std::string>> {};
using BackToBack = OnNetsim;

TEST_P(ReachById, ComesUpOnTheExpectedPathAndStreams) {
    const auto& [mode_a, mode_b] = GetParam();
    NetsimWorld world(mode_a, mode_b);
    world.start_server();
    world.start_host();
    const std::vector<std::string> expected = expected_paths(mode_a, mode_b);
    const bool birthday = expected == std::vector<std::string>{"udp"};
    NetsimWorld::Viewed viewed;
    if (birthday) {
        // Birthday probing runs at 100 probes a second, 2,048 at most: time
        // enough for every one, and once on UDP a second of pictures there,
        // then Ctrl-C (the search meets after 2.5 s on average).
        const auto viewer = world.start_viewer(24);
        NetsimWorld::end_after_log(*viewer, "udp (", 24s);
        viewed = NetsimWorld::collect(*viewer, 40s);
    } else {
        viewed = world.connect(2);
    }
    ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    EXPECT_NE(std::find(expected.begin(), expected.end(), viewed.summary.value("path", "")), expected.end())
        << "expected " << expected.front() << (expected.size() > 1 ? " or " + expected.back() : "") << ": "
        << viewed.summary.dump();
    EXPECT_GT(viewed.summary.value("frames", 0), 10) << viewed.summary.dump();
    EXPECT_EQ(viewed.summary.value("out_of_order", -1), 0);
    EXPECT_GT(viewed.summary.value("connect_ms", 0.0), 0.0);
    // A start on the relay moved to the direct path without a new login, frames in order
    // (or the probes met before the relay answered, and the session started direct).
    if (birthday) {
        const size_t paths = viewed.summary["paths"].size();
        EXPECT_TRUE(paths == 1 || paths == 2) << viewed.summary.dump();
        EXPECT_EQ(viewed.summary.value("moved", 0), paths - 1) << viewed.summary.dump();
    }
    std::cout << mode_a << " host, " << mode_b << " viewer: " << viewed.summary["paths"].dump() << ", "
              << viewed.summary.value("connect_ms", 0.0) << " ms to the first picture, move gap "
              << viewed.summary.value("move_gap_ms", 0.0) << " ms" << std::endl;
}

// A punch leaves its ports' state behind on both NATs and in both systems:
// the next viewer from the same network must punch through again, not fall
// back to the relay.
TEST_F(BackToBack, ViewersFromOneNetworkEachPunchThrough) {
    NetsimWorld world("cone", "block-udp");
    world.start_server();
    world.start_host();
    for (int viewer = 1; viewer <= 3; ++viewer) {
        const auto viewed = world.connect(1);
        ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
        EXPECT_EQ(viewed.summary.value("path", ""), "tcp")
            << "viewer " << viewer << ": " << viewed.summary.dump() << "\nhost:\n" << world.host().stderr_text();
        world.take_next_password();
    }
}

INSTANTIATE_TEST_SUITE_P(EveryNatPair, ReachById, ::testing::Combine(::testing::ValuesIn(kModes), ::testing::ValuesIn(kModes)),
                         [](const auto& info) {
                             auto name = std::get<0>(info.param) + "_to_" + std::get<1>(info.param);
                             std::erase(name, '-');
                             return name;
                         });

}  // namespace
}  // namespace tether::test
