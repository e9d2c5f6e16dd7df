// The relay's WebSocket peers (the gateway's /relay): they pair with TCP
// peers and with each other, each side reading its own transport's framing
// (one binary message for one length-prefixed frame), under the limits of
// the TCP port; refusals come in their framing; pings, closes and broken
// frames are handled at the relay.
#include "relay_fixture.h"
#include "rendezvous/wire.h"

#include <thread>

namespace tether::server::test {
namespace {

using ::tether::test::RawWebSocket;
namespace opcode = ::tether::test::ws_opcode;
using Bytes = std::vector<uint8_t>;

Bytes length_frame(const Bytes& body) {
    const auto header = rendezvous::frame_header(static_cast<uint32_t>(body.size()));
    Bytes framed(header.begin(), header.end());
    framed.insert(framed.end(), body.begin(), body.end());
    return framed;
}

// The next length-prefixed frame's body at a TCP peer; nullopt when the stream ended first.
std::optional<Bytes> read_length_frame(TestPeer& peer) {
    Bytes bytes;
    const auto fill = [&](size_t size) {
        while (bytes.size() < size) {
            const auto piece = peer.receive(size - bytes.size());
            if (piece.empty()) return false;
            bytes.insert(bytes.end(), piece.begin(), piece.end());
        }
        return true;
    };
    if (!fill(rendezvous::kFrameHeader)) return std::nullopt;
    const uint32_t size = rendezvous::frame_length(std::span(bytes).first<rendezvous::kFrameHeader>());
    if (!fill(rendezvous::kFrameHeader + size)) return std::nullopt;
    return Bytes(bytes.begin() + rendezvous::kFrameHeader, bytes.end());
}

class RelayWebSocketTest : public RelayTest {
protected:
    void start_with_websocket(RelayOptions options = {}, WebSocketGatewayOptions websocket = {}) {
        start(options, websocket);
    }
    // A TCP host and a WebSocket viewer, paired.
    std::pair<std::unique_ptr<TestPeer>, std::unique_ptr<RawWebSocket>> mixed_pair() {
        const auto t = token();
        auto host = present(host_hello(t));
        auto viewer = present_over_websocket(viewer_hello(t));
        const auto host_answer = host->read_answer();
        EXPECT_TRUE(host_answer && host_answer->paired());
        const auto viewer_answer = read_answer(*viewer);
        EXPECT_TRUE(viewer_answer && viewer_answer->paired());
        return {std::move(host), std::move(viewer)};
    }
};

TEST_F(RelayWebSocketTest, AWebSocketViewerAndATcpHostEachReadTheirOwnFraming) {
    start_with_websocket();
    auto [host, viewer] = mixed_pair();
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1; }));

    const std::vector<Bytes> to_viewer = {{}, test_bytes(1, 1), test_bytes(125, 2), test_bytes(70'000, 3),
                                          test_bytes(3 << 20, 4)};
    std::thread host_sends([&] {
        for (const auto& message : to_viewer) host->send(length_frame(message));
    });
    for (const auto& message : to_viewer) {
        const auto got = viewer->receive_message(kPatience);
        ASSERT_TRUE(got);
        EXPECT_EQ(*got, message);
    }
    host_sends.join();

    const std::vector<Bytes> to_host = {test_bytes(10, 5), {}, test_bytes(1 << 20, 6)};
    for (const auto& message : to_host) viewer->send_message(message);
    for (const auto& message : to_host) {
        const auto got = read_length_frame(*host);
        ASSERT_TRUE(got);
        EXPECT_EQ(*got, message);
    }
    EXPECT_GT(metrics_.relayed_bytes.Value(), 4 << 20);
}

TEST_F(RelayWebSocketTest, TwoWebSocketPeersPairAndTheirMessagesCrossWhole) {
    start_with_websocket();
    const auto t = token();
    auto host = present_over_websocket(host_hello(t));
    auto viewer = present_over_websocket(viewer_hello(t));
    ASSERT_TRUE(read_answer(*host)->paired());
    ASSERT_TRUE(read_answer(*viewer)->paired());
    const Bytes large = test_bytes(2 << 20, 7);
    host->send_message(large);
    viewer->send_message(test_bytes(33, 8));
    const auto at_viewer = viewer->receive_message(kPatience);
    ASSERT_TRUE(at_viewer);
    EXPECT_TRUE(*at_viewer == large);
    EXPECT_EQ(host->receive_message(kPatience), test_bytes(33, 8));
}

TEST_F(RelayWebSocketTest, RefusalsAreAnsweredInTheWebSocketFraming) {
    start_with_websocket();
    auto late = present_over_websocket(host_hello(token(-5)));
    const auto answer = read_answer(*late);
    ASSERT_TRUE(answer);
    EXPECT_FALSE(answer->paired());
    EXPECT_EQ(answer->refused(), "expired token");
    EXPECT_TRUE(late->wait_closed(kPatience));
    EXPECT_EQ(metrics_.refusals("expired token"), 1);
}

TEST_F(RelayWebSocketTest, WebSocketPeersCountAgainstTheUnpairedLimitsOfTheirSource) {
    RelayOptions options;
    options.max_unpaired_per_source = 2;
    start_with_websocket(options);
    std::vector<std::unique_ptr<RawWebSocket>> waiting;
    for (int i = 0; i < 2; ++i) {
        waiting.push_back(present_over_websocket(host_hello(token()), "127.0.0.3"));
        EXPECT_TRUE(eventually([&] { return relay_->unpaired() == waiting.size(); }));
    }
    auto third = present_over_websocket(host_hello(token()), "127.0.0.3");
    const auto answer = read_answer(*third);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->refused(), "too many unpaired connections");
    // A TCP peer from that source is held to the same count.
    auto over_tcp = TestPeer(address(), "127.0.0.3");
    const auto tcp_answer = over_tcp.read_answer();
    ASSERT_TRUE(tcp_answer);
    EXPECT_EQ(tcp_answer->refused(), "too many unpaired connections");
}

TEST_F(RelayWebSocketTest, FirstMessagesThatAreNotAHelloCloseTheConnectionUnanswered) {
    start_with_websocket();
    const std::vector<Bytes> first = {
        ::tether::test::ws_frame(opcode::kPing, Bytes{1}),                 // a ping before the hello
        ::tether::test::ws_frame(opcode::kBinary, Bytes{1, 2}, true, false),  // unmasked
        ::tether::test::ws_frame(opcode::kBinary, Bytes(10, 0x55), false),  // a hello in several frames
        ::tether::test::ws_frame(opcode::kBinary, Bytes(rendezvous::kMaxMessage + 1, 0)),  // oversized
        ::tether::test::ws_frame(opcode::kBinary, Bytes{}),                // empty
    };
    for (const Bytes& frame : first) {
        RawWebSocket peer(websocket_address());
        ASSERT_EQ(peer.upgrade("/relay"), "HTTP/1.1 101 Switching Protocols");
        peer.send_bytes(frame);
        EXPECT_FALSE(peer.receive_message(kPatience)) << "answered a peer that did not speak the protocol";
    }
    EXPECT_EQ(metrics_.refusals("malformed hello"), 4);
    EXPECT_EQ(metrics_.refusals("oversized hello"), 1);
}

TEST_F(RelayWebSocketTest, APingIsAnsweredAtTheRelayAndNeverReachesTheOtherSide) {
    start_with_websocket();
    auto [host, viewer] = mixed_pair();
    viewer->send_bytes(::tether::test::ws_frame(opcode::kPing, Bytes{'h', 'i'}));
    const auto pong = viewer->receive_ws(kPatience);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->opcode, opcode::kPong);
    EXPECT_EQ(pong->payload, (Bytes{'h', 'i'}));
    viewer->send_message(Bytes{9});
    EXPECT_EQ(read_length_frame(*host), Bytes{9});  // the first thing the host reads
}

TEST_F(RelayWebSocketTest, EndsCrossInEachFraming) {
    start_with_websocket();
    auto [host, viewer] = mixed_pair();
    // The host's goodbye then its FIN: the viewer reads the goodbye, then a close.
    host->send(length_frame(Bytes{'b', 'y', 'e'}));
    host->shutdown_sending();
    EXPECT_EQ(viewer->receive_message(kPatience), (Bytes{'b', 'y', 'e'}));
    const auto close = viewer->receive_ws(kPatience);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->opcode, opcode::kClose);
    // The viewer still speaks, then closes in its own protocol: the host reads it, then its end.
    viewer->send_message(Bytes{1, 2, 3});
    viewer->send_bytes(::tether::test::ws_frame(opcode::kClose, Bytes{0x03, 0xe8}));
    EXPECT_EQ(read_length_frame(*host), (Bytes{1, 2, 3}));
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; }));
}

TEST_F(RelayWebSocketTest, ABrokenFrameEndsTheSessionForBoth) {
    start_with_websocket();
    auto [host, viewer] = mixed_pair();
    viewer->send_bytes(::tether::test::ws_frame(opcode::kText, Bytes{'x'}));
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(viewer->wait_closed(kPatience));
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; }));
}

TEST_F(RelayWebSocketTest, AFrameLongerThanAnyMessageEndsTheSession) {
    start_with_websocket();
    auto [host, viewer] = mixed_pair();
    // Announces 1 GiB: refused at its header, never buffered.
    viewer->send_bytes(Bytes{0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4});
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; }));
    // And a TCP frame that announces more than a WebSocket peer may be sent.
    auto [host2, viewer2] = mixed_pair();
    host2->send(Bytes{0x01, 0x00, 0x00, 0x40});
    EXPECT_TRUE(viewer2->wait_closed(kPatience));
}

TEST_F(RelayWebSocketTest, AnIdleWebSocketSessionEndsAtTheIdleTimeout) {
    RelayOptions options;
    options.idle_timeout = std::chrono::milliseconds(300);
    start_with_websocket(options);
    auto [host, viewer] = mixed_pair();
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(viewer->wait_closed(kPatience));
}

}  // namespace
}  // namespace tether::server::test
