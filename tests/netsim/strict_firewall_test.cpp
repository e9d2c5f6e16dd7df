// A viewer on a network that lets out only TCP 443, as strict corporate
// firewalls do (b's NAT drops everything else its LAN sends, UDP included):
// with the rendezvous server at ws://SERVER:443 it looks the host up and
// meets it at the relay over WebSocket, both on the server's port 443,
// while its direct and dialed-back paths fail in the firewall.
#include "build_parts.h"
#include "core/subprocess.h"
#include "netsim_world.h"

#include <gtest/gtest.h>

#include <iostream>

namespace tether::test {
namespace {

// What b's NAT lets out: TCP to port 443, and the rest of connections under way.
void allow_only_https_out() {
    const std::vector<std::vector<std::string>> rules = {
        {"-A", "FORWARD", "-i", "lan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"},
        {"-A", "FORWARD", "-i", "lan", "-p", "tcp", "--dport", "443", "-j", "ACCEPT"},
        {"-A", "FORWARD", "-i", "lan", "-j", "DROP"},
    };
    for (const auto& rule : rules) {
        auto argv = Netsim::exec_prefix("nat-b");
        argv.push_back("iptables");
        argv.insert(argv.end(), rule.begin(), rule.end());
        const CommandResult result = run_command(argv);
        ASSERT_EQ(result.exit_code, 0) << result.err;
    }
}

TEST(StrictFirewall, ConnectByIdReachesTheHostThroughTheRelayOverWebSocketOn443) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TETHER_REQUIRE_BUILT("transport-websocket");
    if (const auto why = Netsim::unavailable()) GTEST_SKIP() << *why;
    NetsimWorld world("cone", "cone");
    allow_only_https_out();
    world.start_server({"--websocket-port", "443"});
    world.start_host();  // on a, over TCP as before
    world.set_viewer_rendezvous("ws://" + Netsim::address("srv") + ":443");

    // The firewall is real: the rendezvous server's TCP port is out of b's reach.
    auto probe = Netsim::exec_prefix("b");
    probe.insert(probe.end(), {"timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + Netsim::address("srv") + "/21116"});
    EXPECT_NE(run_command(probe).exit_code, 0) << "b reached TCP 21116 through a firewall that lets out only 443";

    const auto viewed = world.connect(2);
    ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    EXPECT_EQ(viewed.summary.value("path", ""), "relay-websocket") << viewed.summary.dump();
    EXPECT_GT(viewed.summary.value("frames", 0), 10) << viewed.summary.dump();
    EXPECT_EQ(viewed.summary.value("out_of_order", -1), 0);
    const double connect_ms = viewed.summary.value("connect_ms", 0.0);
    EXPECT_GT(connect_ms, 0.0);
    // The goal is 5 s; the bound only catches a path that waits for something to time out.
    EXPECT_LT(connect_ms, 15'000.0);
    std::cout << "TCP 443 only: " << viewed.summary.value("path", "?") << " in " << connect_ms
              << " ms from the command's start to the first picture" << std::endl;
}

}  // namespace
}  // namespace tether::test
