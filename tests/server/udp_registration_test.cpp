// UDP on the rendezvous port: a stateless cookie first, never an answer
// larger than the datagram that asked, and Registered with the source
// address once the cookie comes back signed by the pinned key.
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "rendezvous_fixture.h"
#include "server/refusal_reasons.h"

#include <boost/asio/ip/udp.hpp>

#include <sys/socket.h>

namespace tether::server::test {
namespace {

using boost::asio::ip::udp;

class UdpRegistrationTest : public RendezvousTest {
protected:
    void SetUp() override {
        start();
        const auto address = boost::asio::ip::make_address("127.0.0.1");
        const auto port = static_cast<uint16_t>(std::stoi(server->address().substr(server->address().rfind(':') + 1)));
        server_endpoint = udp::endpoint(address, port);
        socket = bound_socket();
    }

    // On a port of its own, waiting at most 300 ms for an answer.
    udp::socket bound_socket() {
        udp::socket fresh(client_io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        const timeval timeout{.tv_sec = 0, .tv_usec = 300'000};
        setsockopt(fresh.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        return fresh;
    }

    // The answer, or nullopt when none came within the timeout.
    std::optional<std::vector<uint8_t>> exchange(std::span<const uint8_t> datagram) {
        socket.send_to(boost::asio::buffer(datagram.data(), datagram.size()), server_endpoint);
        std::vector<uint8_t> answer(2048);
        // Plain recv: Asio's blocking receive would wait on past SO_RCVTIMEO.
        const ssize_t size = ::recv(socket.native_handle(), answer.data(), answer.size(), 0);
        if (size < 0) return std::nullopt;
        answer.resize(static_cast<size_t>(size));
        return answer;
    }
    std::optional<std::vector<uint8_t>> exchange(const proto::RendezvousMessage& message) {
        return exchange(rendezvous::encode(message));
    }
    std::string local_address() const {
        return "127.0.0.1:" + std::to_string(socket.local_endpoint().port());
    }

    boost::asio::io_context client_io;
    udp::socket socket{client_io};
    udp::endpoint server_endpoint;
};

proto::RendezvousMessage signed_registration(const security::Identity& host, const std::string& cookie,
                                             const security::Identity& signer) {
    auto message = register_request(host);
    message.mutable_register_()->set_cookie(cookie);
    const auto proof = security::sign(signer, rendezvous::register_proof_message(
                                                  host.peer_id, {reinterpret_cast<const uint8_t*>(cookie.data()),
                                                                 cookie.size()}));
    message.mutable_register_()->set_proof(std::string(proof.begin(), proof.end()));
    return message;
}

TEST_F(UdpRegistrationTest, ACookieThenASignedEchoRegistersTheUdpSourceAddress) {
    const auto host = security::fresh_identity();
    ProbeConnection control = register_online(host);

    const auto request = rendezvous::encode(register_request(host));
    const auto challenge_bytes = exchange(request);
    ASSERT_TRUE(challenge_bytes);
    EXPECT_LE(challenge_bytes->size(), request.size());
    const auto challenge = rendezvous::decode(*challenge_bytes);
    ASSERT_TRUE(challenge && challenge->has_challenge());
    const std::string cookie = challenge->challenge().nonce();
    EXPECT_EQ(cookie.size(), 16u);

    // Signed by a stranger: no answer.
    EXPECT_FALSE(exchange(signed_registration(host, cookie, security::fresh_identity())));
    EXPECT_EQ(metrics.refusals(refusal::kBadProof), 1);

    const auto registered_bytes = exchange(signed_registration(host, cookie, host));
    ASSERT_TRUE(registered_bytes);
    const auto registered = rendezvous::decode(*registered_bytes);
    ASSERT_TRUE(registered && registered->has_registered());
    EXPECT_EQ(registered->registered().public_addr(), local_address());
    EXPECT_FALSE(registered->registered().has_voucher());
}

TEST_F(UdpRegistrationTest, AnAnswerLargerThanItsRequestIsNotSentButPaddingEarnsIt) {
    proto::RendezvousMessage bare;
    bare.mutable_register_()->set_id(security::fresh_identity().peer_id);
    const auto small = rendezvous::encode(bare);
    ASSERT_LT(small.size(), 20u);  // a challenge is 20 bytes
    EXPECT_FALSE(exchange(small));
    EXPECT_EQ(metrics.refusals(refusal::kReplyTooLarge), 1);

    bare.mutable_register_()->set_padding(std::string(16, '\0'));
    const auto padded = rendezvous::encode(bare);
    const auto answer = exchange(padded);
    ASSERT_TRUE(answer);
    EXPECT_LE(answer->size(), padded.size());
}

TEST_F(UdpRegistrationTest, NothingIsPinnedOverUdp) {
    const auto host = security::fresh_identity();
    const auto challenge = exchange(register_request(host));
    ASSERT_TRUE(challenge);
    const std::string cookie = rendezvous::decode(*challenge)->challenge().nonce();
    EXPECT_FALSE(exchange(signed_registration(host, cookie, host)));
    EXPECT_EQ(metrics.refusals(refusal::kNotPinned), 1);
}

TEST_F(UdpRegistrationTest, ACookieIsGoodOnlyForItsSource) {
    const auto host = security::fresh_identity();
    ProbeConnection control = register_online(host);
    const auto challenge = exchange(register_request(host));
    ASSERT_TRUE(challenge);
    const std::string cookie = rendezvous::decode(*challenge)->challenge().nonce();

    socket = bound_socket();  // another port
    const auto answer = exchange(signed_registration(host, cookie, host));
    ASSERT_TRUE(answer);
    EXPECT_TRUE(rendezvous::decode(*answer)->has_challenge());  // a fresh cookie, not Registered
}

}  // namespace
}  // namespace tether::server::test
