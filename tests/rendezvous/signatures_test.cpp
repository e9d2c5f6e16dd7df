// What the relay and the viewer check: tokens and vouchers signed by the
// rendezvous server, refused when forged, expired, altered or presented by
// anyone but the two peers they name.
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <gtest/gtest.h>

namespace tether::rendezvous {
namespace {

class SignaturesTest : public ::testing::Test {
protected:
    const security::Identity server_ = security::fresh_identity();
    const security::Identity host_ = security::fresh_identity();
    const security::Identity viewer_ = security::fresh_identity();
    const int64_t now_ = 1'800'000'000;
    proto::RelayToken token() const {
        return make_relay_token(server_, host_.public_key, viewer_.public_key, now_ + 30);
    }
};

TEST_F(SignaturesTest, BothPeersPresentTheirTokenAndNoOneElseCan) {
    const auto t = token();
    EXPECT_EQ(check_relay_hello(server_.public_key, make_relay_hello(t, true, host_), now_), std::nullopt);
    EXPECT_EQ(check_relay_hello(server_.public_key, make_relay_hello(t, false, viewer_), now_), std::nullopt);
    const auto stranger = security::fresh_identity();
    EXPECT_EQ(check_relay_hello(server_.public_key, make_relay_hello(t, true, stranger), now_),
              "token presented by a third party");
    EXPECT_EQ(check_relay_hello(server_.public_key, make_relay_hello(t, false, host_), now_),
              "token presented by a third party");
}

TEST_F(SignaturesTest, AForgedAlteredOrExpiredTokenIsRefused) {
    const auto forger = security::fresh_identity();
    const auto forged = make_relay_token(forger, host_.public_key, viewer_.public_key, now_ + 30);
    EXPECT_EQ(check_relay_token(server_.public_key, forged, now_), "forged token");
    auto altered = token();
    altered.set_expiry_unix(now_ + 3600);
    EXPECT_EQ(check_relay_token(server_.public_key, altered, now_), "forged token");
    EXPECT_EQ(check_relay_token(server_.public_key, token(), now_ + 31), "expired token");
    auto truncated = token();
    truncated.mutable_session_nonce()->pop_back();
    EXPECT_EQ(check_relay_token(server_.public_key, truncated, now_), "malformed token");
}

TEST_F(SignaturesTest, AVoucherHoldsForItsIdAndKeyOnly) {
    const auto voucher = make_voucher(server_, host_.peer_id, host_.public_key, now_ + 60);
    EXPECT_EQ(check_voucher(server_.public_key, voucher, host_.peer_id, now_), std::nullopt);
    EXPECT_TRUE(check_voucher(server_.public_key, voucher, "123456789", now_));
    EXPECT_TRUE(check_voucher(host_.public_key, voucher, host_.peer_id, now_));
    EXPECT_TRUE(check_voucher(server_.public_key, voucher, host_.peer_id, now_ + 61));
    auto swapped = voucher;
    swapped.set_key(key_bytes(viewer_.public_key));
    EXPECT_TRUE(check_voucher(server_.public_key, swapped, host_.peer_id, now_));
}

TEST_F(SignaturesTest, AnAnnouncementNeedsTheSharedSecret) {
    const std::vector<uint8_t> secret(32, 7), other(32, 8);
    proto::RelayAnnounce a;
    a.set_addr("198.51.100.10:21117");
    a.set_sessions(3);
    a.set_capacity(1000);
    a.set_mac(relay_announce_mac(secret, a));
    EXPECT_TRUE(check_relay_announce(secret, a));
    EXPECT_FALSE(check_relay_announce(other, a));
    a.set_sessions(0);
    EXPECT_FALSE(check_relay_announce(secret, a));
}

TEST_F(SignaturesTest, AnAnnouncedWebSocketAddressIsUnderTheMac) {
    const std::vector<uint8_t> secret(32, 7);
    proto::RelayAnnounce a;
    a.set_addr("198.51.100.10:21117");
    a.set_capacity(1000);
    const std::string without = relay_announce_mac(secret, a);
    a.set_websocket_addr("198.51.100.10:443");
    a.set_mac(relay_announce_mac(secret, a));
    EXPECT_NE(a.mac(), without);
    EXPECT_TRUE(check_relay_announce(secret, a));
    a.set_websocket_addr("203.0.113.66:443");  // a man in the middle's
    EXPECT_FALSE(check_relay_announce(secret, a));
}

TEST(RendezvousWire, FoundAndNotFoundAreTheSameSizeOnTheWire) {
    const auto server = security::fresh_identity();
    const auto host = security::fresh_identity();
    proto::RendezvousMessage found, not_found;
    auto* f = found.mutable_lookup_reply()->mutable_found();
    *f->mutable_voucher() = make_voucher(server, host.peer_id, host.public_key, 1);
    f->set_public_addr("203.0.113.21:21118");
    for (int i = 0; i < kMaxAddresses; ++i) f->add_lan_addrs("[fe80::1234:5678:9abc:def0]:21118");
    f->set_relay("relay.example.org:21117");
    *f->mutable_relay_token() = make_relay_token(server, host.public_key, host.public_key, 1);
    not_found.mutable_lookup_reply()->mutable_not_found();
    pad_lookup_reply(*found.mutable_lookup_reply());
    pad_lookup_reply(*not_found.mutable_lookup_reply());
    EXPECT_EQ(encode(found).size(), kLookupReplySize);
    EXPECT_EQ(encode(not_found).size(), kLookupReplySize);
}

TEST(RendezvousWire, OversizedEmptyAndGarbledInputIsRefused) {
    EXPECT_FALSE(decode({}));
    const std::vector<uint8_t> big(kMaxMessage + 1, 0);
    EXPECT_FALSE(decode(big));
    const std::vector<uint8_t> garbled = {0x0a, 0x7f, 0x01};
    EXPECT_FALSE(decode(garbled));
    proto::RendezvousMessage m;
    m.mutable_heartbeat();
    const auto bytes = encode(m);
    ASSERT_TRUE(decode(bytes));
    EXPECT_TRUE(decode(bytes)->has_heartbeat());
}

TEST(RendezvousWire, ServerAddressesGetTheDefaultPort) {
    EXPECT_EQ(with_default_port("example.org", 21116), "example.org:21116");
    EXPECT_EQ(with_default_port("example.org:9", 21116), "example.org:9");
    EXPECT_EQ(with_default_port("::1", 21116), "[::1]:21116");
    EXPECT_EQ(with_default_port("[::1]:5", 21116), "[::1]:5");
    EXPECT_TRUE(is_endpoint_text("10.1.0.2:21118"));
    EXPECT_TRUE(is_endpoint_text("[::1]:21118"));
    EXPECT_FALSE(is_endpoint_text("10.1.0.2"));
    EXPECT_FALSE(is_endpoint_text("example.org:1"));
    EXPECT_FALSE(is_endpoint_text("10.1.0.2:70000"));
}

}  // namespace
}  // namespace tether::rendezvous
