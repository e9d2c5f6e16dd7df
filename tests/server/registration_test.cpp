// A host's control connection: register, challenge, proof; pinning across a
// restart and key changes; heartbeats; replacement by a second registration.
#include "rendezvous/peer_registry.h"
#include "rendezvous/signatures.h"
#include "rendezvous_fixture.h"
#include "server/refusal_reasons.h"

namespace tether::server::test {
namespace {

std::string signature_text(const std::vector<uint8_t>& signature) { return {signature.begin(), signature.end()}; }

class RegistrationTest : public RendezvousTest {
protected:
    // `claimant` registering under `id`, which its key may not derive: the server's last word.
    std::optional<proto::RendezvousMessage> claim(const std::string& id, const security::Identity& claimant,
                                                  const std::string& key_change = {}) {
        auto request = register_request(claimant);
        request.mutable_register_()->set_id(id);
        request.mutable_register_()->set_key_change(key_change);
        ProbeConnection connection = connect();
        return register_host(connection, request, claimant);
    }
};

TEST_F(RegistrationTest, AHostThatProvesItsKeyIsRegisteredWithItsPublicAddressAndAVoucher) {
    start();
    const auto host = security::fresh_identity();
    ProbeConnection connection = connect();
    const auto answer = register_host(connection, register_request(host, 5900), host);
    ASSERT_TRUE(answer && answer->has_registered());
    const auto& registered = answer->registered();
    EXPECT_EQ(registered.public_addr(), "127.0.0.1:5900");
    EXPECT_EQ(registered.heartbeat_s(), 5u);
    EXPECT_EQ(rendezvous::check_voucher(server_key.public_key, registered.voucher(), host.peer_id, rendezvous::unix_now()),
              std::nullopt);
    EXPECT_EQ(registered.voucher().key(), rendezvous::key_bytes(host.public_key));
    EXPECT_TRUE(eventually([&] { return server->peers_online() == 1; }));
    EXPECT_EQ(metrics.registrations.Value(), 1);
}

TEST_F(RegistrationTest, AProofSignedByAnotherKeyIsRefused) {
    start();
    const auto host = security::fresh_identity();
    const auto impostor = security::fresh_identity();
    ProbeConnection connection = connect();
    const auto answer = register_host(connection, register_request(host), impostor);
    ASSERT_TRUE(answer && answer->has_register_refused());
    EXPECT_TRUE(connection.closed_by_server());
    EXPECT_EQ(metrics.refusals(refusal::kBadProof), 1);
    EXPECT_EQ(server->peers_online(), 0u);
}

TEST_F(RegistrationTest, ANewKeyUnderAPinnedIdIsRefusedWithBothFingerprintsUnlessTheOldKeyMovesIt) {
    start();
    const auto host = security::fresh_identity();
    const auto renewed = security::fresh_identity();
    { ProbeConnection first = register_online(host); }

    const auto answer = claim(host.peer_id, renewed);
    ASSERT_TRUE(answer && answer->has_register_refused());
    const std::string& reason = answer->register_refused().reason();
    EXPECT_NE(reason.find("ID " + security::format_peer_id(host.peer_id)), std::string::npos) << reason;
    EXPECT_NE(reason.find(security::fingerprint(host.public_key)), std::string::npos) << reason;
    EXPECT_NE(reason.find(security::fingerprint(renewed.public_key)), std::string::npos) << reason;
    EXPECT_EQ(metrics.refusals(refusal::kKeyPinnedToAnother), 1);

    const auto moving = rendezvous::key_change_message(host.peer_id, renewed.public_key);
    const auto self_signed = claim(host.peer_id, renewed, signature_text(security::sign(renewed, moving)));
    EXPECT_TRUE(self_signed && self_signed->has_register_refused());
    const auto accepted = claim(host.peer_id, renewed, signature_text(security::sign(host, moving)));
    ASSERT_TRUE(accepted && accepted->has_registered()) << (accepted ? accepted->DebugString() : "no answer");
    EXPECT_EQ(accepted->registered().voucher().key(), rendezvous::key_bytes(renewed.public_key));
}

TEST_F(RegistrationTest, APinSurvivesARestartOnTheSameRegistry) {
    start();
    const auto host = security::fresh_identity();
    const auto stranger = security::fresh_identity();
    { ProbeConnection first = register_online(host); }
    stop();
    start();
    const auto answer = claim(host.peer_id, stranger);
    ASSERT_TRUE(answer && answer->has_register_refused());
    EXPECT_EQ(metrics.refusals(refusal::kKeyPinnedToAnother), 1);
    ProbeConnection again = register_online(host);
}

TEST_F(RegistrationTest, AnIdItsKeyDoesNotDeriveIsRefused) {
    start();
    const auto host = security::fresh_identity();
    const auto stranger = security::fresh_identity();
    const auto answer = claim(host.peer_id, stranger);
    ASSERT_TRUE(answer && answer->has_register_refused());
    EXPECT_EQ(metrics.refusals(refusal::kNotItsId), 1);
}

TEST_F(RegistrationTest, HeartbeatsAreAnsweredAndASilentHostGoesOffline) {
    auto o = options();
    o.heartbeat = 1s;
    start(o);
    const auto host = security::fresh_identity();
    ProbeConnection connection = register_online(host);
    for (int beat = 0; beat < 3; ++beat) {
        proto::RendezvousMessage heartbeat;
        heartbeat.mutable_heartbeat();
        ASSERT_TRUE(connection.send(heartbeat));
        const auto echo = connection.receive();
        ASSERT_TRUE(echo && echo->has_heartbeat());
        std::this_thread::sleep_for(800ms);  // longer than the period, shorter than three
    }
    EXPECT_EQ(server->peers_online(), 1u);
    // Silent from here: offline after three periods, give or take the server's sweep.
    const auto silent_since = std::chrono::steady_clock::now();
    EXPECT_TRUE(eventually([&] { return server->peers_online() == 0; }, 10s));
    EXPECT_GE(std::chrono::steady_clock::now() - silent_since, 2s);
    EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(RegistrationTest, ASecondRegistrationOfAnIdReplacesTheFirst) {
    start();
    const auto host = security::fresh_identity();
    ProbeConnection first = register_online(host);
    ProbeConnection second = register_online(host);
    EXPECT_TRUE(first.closed_by_server());
    EXPECT_TRUE(eventually([&] { return server->peers_online() == 1; }));
    EXPECT_EQ(look_up(host.peer_id, security::fresh_identity().public_key).body_case(), proto::LookupReply::kFound);
}

TEST_F(RegistrationTest, AFloodOfRegistrationsFromOneSourceIsRateLimited) {
    auto o = options();
    o.registrations_per_s = 0.01;
    o.registration_burst = 3;
    start(o);
    int challenged = 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
        const auto host = security::fresh_identity();
        ProbeConnection connection = connect();
        ASSERT_TRUE(connection.send(register_request(host)));
        const auto answer = connection.receive();
        if (answer && answer->has_challenge()) ++challenged;
    }
    EXPECT_EQ(challenged, 3);
    EXPECT_EQ(metrics.refusals(refusal::kRate), 7);
    // Another source has its own bucket.
    const auto host = security::fresh_identity();
    ProbeConnection elsewhere = connect("127.0.0.2");
    ASSERT_TRUE(elsewhere.send(register_request(host)));
    const auto answer = elsewhere.receive();
    EXPECT_TRUE(answer && answer->has_challenge());
}

}  // namespace
}  // namespace tether::server::test
