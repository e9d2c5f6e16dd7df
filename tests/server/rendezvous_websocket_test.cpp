// The rendezvous server over the gateway's /rendezvous path, through the
// peers' own client code (ws:// addresses): lookups and registrations as
// over TCP, the relay's WebSocket address for a peer that came that way,
// and the same limits as the TCP port for a WebSocket peer that misbehaves.
#include "raw_websocket.h"
#include "rendezvous/host_registration.h"
#include "rendezvous/look_up.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "rendezvous_fixture.h"

#include <mutex>

namespace tether::server::test {
namespace {

using ::tether::test::RawWebSocket;
using Bytes = std::vector<uint8_t>;

class RendezvousWebSocketTest : public RendezvousTest {
protected:
    void SetUp() override {
        RendezvousOptions o = options();
        o.relays = {":21117"};
        o.websocket_relay = true;
        start(o, true);
    }
    rendezvous::ServerAddress over_websocket() const { return rendezvous::parse_server_address(websocket_server()); }
    // A WebSocket peer upgraded to /rendezvous.
    std::unique_ptr<RawWebSocket> raw_peer() const {
        auto peer = std::make_unique<RawWebSocket>(gateway->address());
        EXPECT_EQ(peer->upgrade("/rendezvous"), "HTTP/1.1 101 Switching Protocols");
        return peer;
    }
};

TEST_F(RendezvousWebSocketTest, ALookupOverWebSocketFindsAHostRegisteredOverTcp) {
    const auto host = security::fresh_identity();
    const auto viewer = security::fresh_identity();
    auto control = register_online(host, 21118, {"10.0.0.5:21118"});
    proto::Lookup lookup;
    lookup.set_id(host.peer_id);
    lookup.set_viewer_key(rendezvous::key_bytes(viewer.public_key));
    const auto reply = rendezvous::look_up(over_websocket(), lookup, 5s);
    ASSERT_TRUE(reply.has_found()) << reply.DebugString();
    EXPECT_EQ(reply.found().public_addr(), "127.0.0.1:21118");
    EXPECT_EQ(reply.found().relay(), "127.0.0.1:21117");
    // This machine's relay, at the WebSocket address the viewer reached: the viewer fills it in.
    EXPECT_EQ(reply.found().relay_websocket(), "/relay");
    EXPECT_EQ(rendezvous::relay_websocket_address(over_websocket(), reply.found().relay_websocket()),
              gateway->address() + "/relay");
    // The host hears of the viewer, with the relay both ways.
    const auto incoming = control.receive();
    ASSERT_TRUE(incoming && incoming->has_incoming());
    EXPECT_EQ(incoming->incoming().relay_websocket(), "/relay");
    EXPECT_EQ(metrics.lookups.Value(), 1);
}

TEST_F(RendezvousWebSocketTest, AHostRegistersOverWebSocketAndHearsOfItsViewers) {
    const auto host = security::fresh_identity();
    std::mutex mutex;
    std::optional<proto::Registered> registered;
    std::optional<proto::Incoming> incoming;
    rendezvous::RegistrationOptions options{over_websocket(), {}, 0};
    rendezvous::HostRegistration registration(
        host, options,
        [&](const proto::Registered& r) {
            std::lock_guard lock(mutex);
            registered = r;
        },
        [&](const proto::Incoming& i) {
            std::lock_guard lock(mutex);
            incoming = i;
        },
        [](const std::string&) {});
    EXPECT_TRUE(eventually([&] { return server->peers_online() == 1; }));
    {
        std::lock_guard lock(mutex);
        ASSERT_TRUE(registered);
        EXPECT_TRUE(registered->has_voucher());
    }
    const auto reply = look_up(host.peer_id, security::fresh_identity().public_key);  // over TCP
    EXPECT_TRUE(reply.has_found());
    EXPECT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return incoming.has_value();
    }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(incoming->relay_websocket(), "/relay");
    EXPECT_EQ(incoming->relay_token().host_key(), rendezvous::key_bytes(host.public_key));
}

TEST_F(RendezvousWebSocketTest, APingOnTheControlConnectionIsAnswered) {
    auto peer = raw_peer();
    peer->send_bytes(::tether::test::ws_frame(::tether::test::ws_opcode::kPing, Bytes{7}));
    const auto pong = peer->receive_ws(5s);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->opcode, ::tether::test::ws_opcode::kPong);
    EXPECT_EQ(pong->payload, Bytes{7});
}

TEST_F(RendezvousWebSocketTest, AWebSocketPeerMeetsTheLimitsOfTheTcpPort) {
    // An oversized first message, refused at its header.
    auto oversized = raw_peer();
    oversized->send_bytes(::tether::test::ws_frame(::tether::test::ws_opcode::kBinary, Bytes(rendezvous::kMaxMessage + 1, 1)));
    EXPECT_TRUE(oversized->wait_closed(5s));
    EXPECT_EQ(metrics.refusals("oversized"), 1);
    // Garbage, and a message in several frames.
    auto garbage = raw_peer();
    garbage->send_message(Bytes{0xff, 0xff, 0xff});
    EXPECT_TRUE(garbage->wait_closed(5s));
    auto fragmented = raw_peer();
    fragmented->send_bytes(::tether::test::ws_frame(::tether::test::ws_opcode::kBinary, Bytes{1, 2}, false));
    EXPECT_TRUE(fragmented->wait_closed(5s));
    EXPECT_EQ(metrics.refusals("malformed"), 2);
    // Unidentified connections from one source are capped, WebSocket ones with the rest.
    std::vector<std::unique_ptr<RawWebSocket>> silent;
    for (int i = 0; i < 64; ++i) silent.push_back(raw_peer());
    auto one_more = raw_peer();
    EXPECT_TRUE(one_more->wait_closed(5s));
    EXPECT_EQ(metrics.refusals("too many connections"), 1);
}

}  // namespace
}  // namespace tether::server::test
