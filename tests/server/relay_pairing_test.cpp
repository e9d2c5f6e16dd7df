// Who the relay pairs, and the exact answer to everyone it refuses.
#include "relay_fixture.h"

#include <boost/asio/post.hpp>

namespace tether::server::test {
namespace {

// The relay's answer to `peer`, followed by the end of the connection.
std::string refusal_of(TestPeer& peer) {
    const auto answer = peer.read_answer();
    if (!answer) return "(no answer)";
    if (answer->paired()) return "(paired)";
    EXPECT_TRUE(peer.closed_within()) << "a refused peer is closed";
    return answer->refused();
}

TEST_F(RelayTest, ATokenPairsOnceAndNeverAgain) {
    start();
    const auto t = token();
    auto host = present(host_hello(t));
    auto viewer = present(viewer_hello(t));
    ASSERT_TRUE(host->read_answer()->paired());
    ASSERT_TRUE(viewer->read_answer()->paired());
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1 && relay_->unpaired() == 0; }));
    auto again = present(host_hello(t));
    EXPECT_EQ(refusal_of(*again), "token already used");
    auto viewer_again = present(viewer_hello(t));
    EXPECT_EQ(refusal_of(*viewer_again), "token already used");
    EXPECT_EQ(metrics_.refusals("token already used"), 2);
    EXPECT_EQ(relay_->sessions(), 1u) << "the session itself goes on";
}

TEST_F(RelayTest, AnExpiredTokenIsRefused) {
    start();
    auto host = present(host_hello(token(-5)));
    EXPECT_EQ(refusal_of(*host), "expired token");
}

TEST_F(RelayTest, ATokenSignedByAnotherKeyIsRefusedAsForged) {
    start();
    const auto forger = security::fresh_identity();
    const auto forged = rendezvous::make_relay_token(forger, host_.public_key, viewer_.public_key,
                                                     rendezvous::unix_now() + 30);
    auto host = present(host_hello(forged));
    EXPECT_EQ(refusal_of(*host), "forged token");
    EXPECT_EQ(metrics_.refusals("forged token"), 1);
}

TEST_F(RelayTest, ATokenPresentedByAStrangerIsRefused) {
    start();
    const auto t = token();
    const auto stranger = security::fresh_identity();
    auto thief = present(rendezvous::make_relay_hello(t, true, stranger));
    EXPECT_EQ(refusal_of(*thief), "token presented by a third party");
    // The viewer presenting as the host is a third party too.
    auto swapped = present(rendezvous::make_relay_hello(t, true, viewer_));
    EXPECT_EQ(refusal_of(*swapped), "token presented by a third party");
    // And the rightful peers still pair on it.
    auto host = present(host_hello(t));
    auto viewer = present(viewer_hello(t));
    EXPECT_TRUE(host->read_answer()->paired());
    EXPECT_TRUE(viewer->read_answer()->paired());
}

TEST_F(RelayTest, AMalformedTokenIsRefused) {
    start();
    auto t = token();
    t.mutable_session_nonce()->pop_back();
    auto host = present(host_hello(t));
    EXPECT_EQ(refusal_of(*host), "malformed token");
}

TEST_F(RelayTest, TheSameSideTwiceWhileWaitingRefusesTheNewcomer) {
    start();
    const auto t = token();
    auto host = present(host_hello(t));
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 1 && metrics_.relay_unpaired.Value() == 1; }));
    auto second = present(host_hello(t));
    EXPECT_EQ(refusal_of(*second), "peer already waiting for this token");
    auto viewer = present(viewer_hello(t));
    EXPECT_TRUE(host->read_answer()->paired()) << "the first one still pairs";
    EXPECT_TRUE(viewer->read_answer()->paired());
}

TEST_F(RelayTest, AWaitingPeerThatLeavesIsForgottenAndItsPlaceTaken) {
    start();
    const auto t = token();
    auto host = present(host_hello(t));
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 1; }));
    host.reset();
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 0; }));
    auto back = present(host_hello(t));
    auto viewer = present(viewer_hello(t));
    EXPECT_TRUE(back->read_answer()->paired());
    EXPECT_TRUE(viewer->read_answer()->paired());
}

TEST_F(RelayTest, AnUnpairedConnectionIsDroppedAtThePairingTimeout) {
    RelayOptions options;
    options.pair_timeout = 300ms;
    start(options);
    const auto before = std::chrono::steady_clock::now();
    auto waiting = present(host_hello(token()));
    auto silent = std::make_unique<TestPeer>(address());
    EXPECT_EQ(refusal_of(*waiting), "no peer in time");
    EXPECT_FALSE(silent->read_answer()) << "no hello, no answer: only the end";
    EXPECT_GE(std::chrono::steady_clock::now() - before, 300ms);
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 0 && metrics_.relay_unpaired.Value() == 0; }));
    EXPECT_EQ(metrics_.refusals("no peer in time"), 1);
    EXPECT_EQ(metrics_.refusals("no hello in time"), 1);
}

TEST_F(RelayTest, UnpairedConnectionsAreLimitedPerSource) {
    RelayOptions options;
    options.max_unpaired_per_source = 2;
    start(options);
    auto held = hold_unpaired(2);
    TestPeer third(address());
    EXPECT_EQ(refusal_of(third), "too many unpaired connections");
    auto elsewhere = hold_unpaired(1, "127.0.0.2");
    EXPECT_EQ(relay_->unpaired(), 3u) << "another source has places of its own";
}

TEST_F(RelayTest, UnpairedConnectionsAreLimitedInAll) {
    RelayOptions options;
    options.max_unpaired = 3;
    start(options);
    auto held = hold_unpaired(3);
    TestPeer fourth(address(), "127.0.0.2");
    EXPECT_EQ(refusal_of(fourth), "too many unpaired connections");
    held.resize(1);
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 1; })) << "those leaving free their places";
    auto [host, viewer] = paired_peers();
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1; }));
}

TEST_F(RelayTest, AFullRelayRefusesNewPeers) {
    RelayOptions options;
    options.max_sessions = 1;
    start(options);
    auto first = paired_peers();
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1; }));
    TestPeer late(address());
    EXPECT_EQ(refusal_of(late), "relay full");
}

TEST_F(RelayTest, StopClosesEveryConnection) {
    start();
    auto [host, viewer] = paired_peers();
    auto waiting = present(host_hello(token()));
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1 && relay_->unpaired() == 1; }));
    boost::asio::post(io_, [this] { relay_->stop(); });
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(viewer->closed_within());
    EXPECT_TRUE(waiting->closed_within());
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0 && relay_->unpaired() == 0; }));
}

}  // namespace
}  // namespace tether::server::test
