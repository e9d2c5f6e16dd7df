// Relays handed out with lookups: configured ones, ":PORT" for this machine,
// and relays that announce themselves with the shared secret's MAC.
#include "rendezvous/signatures.h"
#include "rendezvous_fixture.h"
#include "server/refusal_reasons.h"

namespace tether::server::test {
namespace {

const std::vector<uint8_t> kSecret = {1, 2, 3, 4, 5, 6, 7, 8};

proto::RendezvousMessage announcement(const std::string& addr, uint32_t sessions, uint32_t capacity,
                                      const std::vector<uint8_t>& secret = kSecret) {
    proto::RendezvousMessage message;
    auto& announce = *message.mutable_relay_announce();
    announce.set_addr(addr);
    announce.set_sessions(sessions);
    announce.set_capacity(capacity);
    announce.set_mac(rendezvous::relay_announce_mac(secret, announce));
    return message;
}

class RelayAssignmentTest : public RendezvousTest {
protected:
    std::string assigned_relay() {
        const auto reply = look_up(host.peer_id, security::fresh_identity().public_key);
        EXPECT_EQ(reply.body_case(), proto::LookupReply::kFound);
        return reply.found().relay();
    }
    const security::Identity host = security::fresh_identity();
};

TEST_F(RelayAssignmentTest, AnAnnouncedRelayIsAssignedTheLeastLoadedFirst) {
    auto o = options();
    o.relay_secret = kSecret;
    start(o);
    ProbeConnection control = register_online(host);
    EXPECT_EQ(assigned_relay(), "");

    ProbeConnection busy = connect();
    ASSERT_TRUE(busy.send(announcement("10.9.9.1:21117", 8, 10)));
    ProbeConnection idle = connect();
    ASSERT_TRUE(idle.send(announcement("relay.example.net:21117", 1, 10)));
    ASSERT_TRUE(eventually([&] { return metrics.relays_known.Value() == 2; }));
    EXPECT_EQ(assigned_relay(), "relay.example.net:21117");

    // Re-announced busier, on the same connection.
    ASSERT_TRUE(idle.send(announcement("relay.example.net:21117", 9, 10)));
    ASSERT_TRUE(eventually([&] { return assigned_relay() == "10.9.9.1:21117"; }));

    // A relay that hangs up is withdrawn.
    { ProbeConnection gone = std::move(busy); }
    ASSERT_TRUE(eventually([&] { return metrics.relays_known.Value() == 1; }));
    EXPECT_EQ(assigned_relay(), "relay.example.net:21117");
}

TEST_F(RelayAssignmentTest, ConfiguredRelaysCountAsIdleUnlessTheyAnnounce) {
    auto o = options();
    o.relay_secret = kSecret;
    o.relays = {"10.9.9.2:21117"};
    start(o);
    ProbeConnection control = register_online(host);
    ProbeConnection announced = connect();
    ASSERT_TRUE(announced.send(announcement("10.9.9.3:21117", 1, 100)));
    ASSERT_TRUE(eventually([&] { return metrics.relays_known.Value() == 2; }));
    EXPECT_EQ(assigned_relay(), "10.9.9.2:21117");
    ProbeConnection configured = connect();
    ASSERT_TRUE(configured.send(announcement("10.9.9.2:21117", 50, 100)));
    ASSERT_TRUE(eventually([&] { return assigned_relay() == "10.9.9.3:21117"; }));
    EXPECT_EQ(metrics.relays_known.Value(), 2);
}

TEST_F(RelayAssignmentTest, AnAnnouncementWithAWrongMacOrWithoutASecretIsRefused) {
    auto o = options();
    o.relay_secret = kSecret;
    start(o);
    ProbeConnection forged = connect();
    ASSERT_TRUE(forged.send(announcement("10.9.9.4:21117", 0, 10, {9, 9, 9})));
    EXPECT_TRUE(forged.closed_by_server());
    EXPECT_EQ(metrics.refusals(refusal::kRelayAnnounceRefused), 1);
    EXPECT_EQ(metrics.relays_known.Value(), 0);
    stop();

    start(options());  // no secret: nobody may announce
    ProbeConnection unkeyed = connect();
    ASSERT_TRUE(unkeyed.send(announcement("10.9.9.4:21117", 0, 10, {})));
    EXPECT_TRUE(unkeyed.closed_by_server());
    EXPECT_EQ(metrics.refusals(refusal::kRelayAnnounceRefused), 2);
}

TEST_F(RelayAssignmentTest, ABadConfiguredRelayIsNamedAtStart) {
    auto o = options();
    o.relays = {"no port here"};
    try {
        start(o);
        FAIL() << "started";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no port here"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::server::test
