// A viewer's lookup: Found with the host's addresses, a voucher and a relay
// token bound to the viewer's key, the host told of the viewer; NotFound for
// unknown, offline and malformed IDs alike, the same size as Found.
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "rendezvous_fixture.h"

namespace tether::server::test {
namespace {

size_t encoded_size(const proto::LookupReply& reply) {
    proto::RendezvousMessage message;
    *message.mutable_lookup_reply() = reply;
    return rendezvous::encode(message).size();
}

TEST_F(RendezvousTest, ALookupOfAnOnlineHostFindsItAndTellsTheHost) {
    auto o = options();
    o.relays = {":21117"};
    start(o);
    const auto host = security::fresh_identity();
    const auto viewer = security::fresh_identity();
    ProbeConnection control = register_online(host, 5900, {"192.168.1.20:5900", "not an address", "10.0.0.1:0"});

    const auto reply = look_up(host.peer_id, viewer.public_key, 6000, {"10.1.1.1:6000"});
    ASSERT_EQ(reply.body_case(), proto::LookupReply::kFound);
    EXPECT_EQ(encoded_size(reply), rendezvous::kLookupReplySize);
    const auto& found = reply.found();
    const auto now = rendezvous::unix_now();
    EXPECT_EQ(rendezvous::check_voucher(server_key.public_key, found.voucher(), host.peer_id, now), std::nullopt);
    EXPECT_EQ(found.voucher().key(), rendezvous::key_bytes(host.public_key));
    EXPECT_EQ(found.public_addr(), "127.0.0.1:5900");
    EXPECT_EQ(std::vector<std::string>(found.lan_addrs().begin(), found.lan_addrs().end()),
              std::vector<std::string>{"192.168.1.20:5900"});
    EXPECT_EQ(found.relay(), "127.0.0.1:21117");  // ":PORT": where the viewer reached the server
    EXPECT_EQ(rendezvous::check_relay_token(server_key.public_key, found.relay_token(), now), std::nullopt);
    EXPECT_EQ(found.relay_token().viewer_key(), rendezvous::key_bytes(viewer.public_key));
    EXPECT_EQ(found.relay_token().host_key(), rendezvous::key_bytes(host.public_key));

    const auto incoming = control.receive();
    ASSERT_TRUE(incoming && incoming->has_incoming());
    EXPECT_EQ(std::vector<std::string>(incoming->incoming().viewer_addrs().begin(),
                                       incoming->incoming().viewer_addrs().end()),
              (std::vector<std::string>{"127.0.0.1:6000", "10.1.1.1:6000"}));
    EXPECT_EQ(incoming->incoming().relay(), "127.0.0.1:21117");
    EXPECT_EQ(incoming->incoming().relay_token().signature(), found.relay_token().signature());
    EXPECT_EQ(metrics.lookups.Value(), 1);
}

TEST_F(RendezvousTest, UnknownOfflineAndMalformedIdsAreNotFoundAndLookLikeFound) {
    start();
    const auto host = security::fresh_identity();
    const auto gone = security::fresh_identity();
    const auto viewer = security::fresh_identity();
    ProbeConnection control = register_online(host, 5900, {"192.168.1.20:5900"});
    { ProbeConnection left = register_online(gone, 5900); }
    ASSERT_TRUE(eventually([&] { return server->peers_online() == 1; }));

    const size_t found_size = encoded_size(look_up(host.peer_id, viewer.public_key));
    EXPECT_EQ(found_size, rendezvous::kLookupReplySize);
    const std::vector<std::string> ids = {gone.peer_id, security::fresh_identity().peer_id, "not an id",
                                          std::string(600, '9')};
    for (const std::string& id : ids) {
        const auto reply = look_up(id, viewer.public_key);
        EXPECT_EQ(reply.body_case(), proto::LookupReply::kNotFound) << id;
        EXPECT_EQ(encoded_size(reply), found_size) << id;
    }
}

TEST_F(RendezvousTest, ALookupWithoutAViewerKeyIsRefused) {
    start();
    ProbeConnection viewer = connect();
    auto request = lookup_request("123456789", security::PublicKey{});
    request.mutable_lookup()->set_viewer_key("short");
    ASSERT_TRUE(viewer.send(request));
    EXPECT_FALSE(viewer.receive());
    EXPECT_EQ(metrics.refusals("malformed"), 1);
}

TEST_F(RendezvousTest, AFloodOfLookupsFromOneSourceIsRateLimited) {
    auto o = options();
    o.lookups_per_s = 0.01;
    o.lookup_burst = 2;
    start(o);
    const auto viewer = security::fresh_identity();
    int answered = 0;
    for (int attempt = 0; attempt < 5; ++attempt) {
        ProbeConnection connection = connect();
        ASSERT_TRUE(connection.send(lookup_request("123456789", viewer.public_key)));
        if (connection.receive()) ++answered;
    }
    EXPECT_EQ(answered, 2);
    EXPECT_EQ(metrics.refusals("rate"), 3);
}

}  // namespace
}  // namespace tether::server::test
