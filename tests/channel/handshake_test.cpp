// The handshake as pure functions: both sides derive matching keys, the
// host's identity must sign the very handshake, and tampering, downgrades
// and impostors are refused.
#include "net/handshake.h"
#include "handshake.pb.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace tether::net {
namespace {

struct Pair {
    test::TempDir home;
    security::Identity host = security::load_or_create_identity(home.path());
};

std::vector<uint8_t> bytes(const BufferRef& b) { return {b.data(), b.data() + b.size()}; }

TEST(Handshake, BothSidesAgreeAndLearnTheHostIdentity) {
    Pair p;
    ClientHandshake client;
    const HostHandshakeResult host = respond(p.host, client.hello().bytes());
    const auto result = client.finish(host.reply.bytes());
    EXPECT_EQ(result.host_key, p.host.public_key);
    EXPECT_EQ(result.peer_id, p.host.peer_id);
    EXPECT_EQ(result.keys.send, host.keys.receive);
    EXPECT_EQ(result.keys.receive, host.keys.send);
    EXPECT_NE(result.keys.send, result.keys.receive);
    EXPECT_EQ(result.keys.cipher, supported_ciphers().front());
}

TEST(Handshake, FreshKeysEverySession) {
    Pair p;
    ClientHandshake a;
    ClientHandshake b;
    const auto ka = a.finish(respond(p.host, a.hello().bytes()).reply.bytes());
    const auto kb = b.finish(respond(p.host, b.hello().bytes()).reply.bytes());
    EXPECT_NE(ka.keys.send, kb.keys.send);
}

TEST(Handshake, HostReplyCarriesNoIdentityInTheClear) {
    Pair p;
    ClientHandshake client;
    const auto reply = bytes(respond(p.host, client.hello().bytes()).reply);
    const std::string text(reply.begin(), reply.end());
    EXPECT_EQ(text.find(p.host.peer_id), std::string::npos);
    const std::string key(p.host.public_key.begin(), p.host.public_key.end());
    EXPECT_EQ(text.find(key), std::string::npos);
}

TEST(Handshake, AnyFlippedBitInTheReplyIsRefused) {
    Pair p;
    ClientHandshake client;
    const auto reply = bytes(respond(p.host, client.hello().bytes()).reply);
    for (size_t i = 0; i < reply.size(); ++i) {
        auto tampered = reply;
        tampered[i] ^= 0x04;
        EXPECT_THROW(client.finish(tampered), HandshakeError) << "byte " << i;
    }
}

TEST(Handshake, ReplyToAnotherHelloIsRefused) {
    Pair p;
    ClientHandshake victim;
    ClientHandshake other;
    const auto reply = respond(p.host, other.hello().bytes()).reply;  // a reply made for someone else
    EXPECT_THROW(victim.finish(reply.bytes()), HandshakeError);
}

TEST(Handshake, CipherDowngradeBreaksTheSignature) {
    Pair p;
    ClientHandshake client({Cipher::Aes256Gcm, Cipher::XChaCha20Poly1305});
    // An attacker strips the viewer's first choice before the host sees it.
    proto::HandshakeMessage hello;
    ASSERT_TRUE(hello.ParseFromArray(client.hello().data(), static_cast<int>(client.hello().size())));
    hello.mutable_client_hello()->clear_ciphers();
    hello.mutable_client_hello()->add_ciphers(proto::XCHACHA20_POLY1305);
    const std::string stripped = hello.SerializeAsString();
    const auto reply = respond(p.host, {reinterpret_cast<const uint8_t*>(stripped.data()), stripped.size()});
    EXPECT_THROW(client.finish(reply.reply.bytes()), HandshakeError);
}

TEST(Handshake, RefusalsCarryTheirReason) {
    Pair p;
    const std::vector<uint8_t> garbage{1, 2, 3};
    EXPECT_THROW(respond(p.host, garbage), HandshakeError);
    ClientHandshake client;
    try {
        client.finish(reject_message("no cipher in common").bytes());
        FAIL() << "a reject was accepted";
    } catch (const HandshakeError& e) {
        EXPECT_NE(std::string(e.what()).find("host refused the handshake: no cipher in common"), std::string::npos);
    }
    ClientHandshake only_chacha({Cipher::XChaCha20Poly1305});
    EXPECT_THROW(respond(p.host, only_chacha.hello().bytes(), {Cipher::Aes256Gcm}), HandshakeError);
}

}  // namespace
}  // namespace tether::net
