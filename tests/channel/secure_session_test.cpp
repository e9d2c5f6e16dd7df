// Encrypted sessions through real sockets: tampering, replay, reordering,
// truncation and oversized frames each end the session with their reason;
// logins are throttled; permissions are enforced by the host.
#include "build_parts.h"
#include "raw_session.h"
#include "session/permissions.h"
#include "session/protocol.h"
#include "session/service_host.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using test::RawSession;
using test::TestHost;

class SecureSession : public ::testing::Test {
protected:
    std::optional<TestHost> host;  // made once SetUp() knows the build has its plugins

    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        host.emplace(test::synthetic_video("vp9", 160, 120));
    }

    // A logged-in raw session.
    std::unique_ptr<RawSession> logged_in(uint32_t permissions = kView) {
        auto s = std::make_unique<RawSession>(host->server.address());
        EXPECT_TRUE(s->log_in(host->authenticator.one_time_password(), permissions, {"vp9"}).ok());
        return s;
    }

    std::string end_reason() {
        const auto ended = host->ended_sessions(1, 10s);
        return ended.empty() ? "still running" : ended.front().end_reason;
    }

    static proto::SessionMessage stats() {
        proto::SessionMessage m;
        m.mutable_stats()->set_frames_decoded(1);
        return m;
    }
};

TEST_F(SecureSession, FlippedBitInCiphertextEndsTheSession) {
    auto s = logged_in();
    BufferRef record = s->seal(stats());
    record.data()[record.size() / 2] ^= 0x10;
    s->peer.send_frame(record.bytes());
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("record failed authentication"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, FlippedBitInTheTagEndsTheSession) {
    auto s = logged_in();
    BufferRef record = s->seal(stats());
    record.data()[record.size() - 1] ^= 0x01;
    s->peer.send_frame(record.bytes());
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("record failed authentication"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, ReplayedMessageEndsTheSession) {
    auto s = logged_in();
    const BufferRef record = s->seal(stats());
    s->peer.send_frame(record.bytes());
    s->peer.send_frame(record.bytes());
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("replayed record"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, ReorderedMessagesEndTheSession) {
    auto s = logged_in();
    const BufferRef first = s->seal(stats());
    const BufferRef second = s->seal(stats());
    s->peer.send_frame(second.bytes());
    s->peer.send_frame(first.bytes());
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("record out of order"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, TruncatedFrameEndsTheSession) {
    auto s = logged_in();
    const BufferRef record = s->seal(stats());
    s->peer.send_length(static_cast<uint32_t>(record.size()));
    s->peer.send_bytes(record.bytes().first(record.size() / 2));
    s->peer.shutdown_write();
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("truncated frame"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, TruncatedRecordEndsTheSession) {
    auto s = logged_in();
    const BufferRef record = s->seal(stats());
    s->peer.send_frame(record.bytes().first(10));
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("truncated record"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, MessageOverTheSizeLimitEndsTheSession) {
    auto s = logged_in();
    s->peer.send_length(64u << 20);  // announced, never sent: refused before any allocation
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("message too large"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, PlaintextAfterTheHandshakeIsRefused) {
    auto s = logged_in();
    const BufferRef plain = encode(stats());
    s->peer.send_frame(plain.bytes());
    EXPECT_TRUE(s->peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("record"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, WrongPasswordThreeTimesTriggersBackoff) {
    for (int attempt = 1; attempt <= 3; ++attempt) {
        RawSession s(host->server.address());
        const auto r = s.log_in("not-the-password", kView, {"vp9"});
        EXPECT_FALSE(r.ok());
        EXPECT_EQ(r.reason(), "wrong password");
        if (attempt < 3) {
            EXPECT_EQ(r.retry_after_ms(), 0u) << attempt;
        } else {
            EXPECT_GE(r.retry_after_ms(), 900u);
        }
    }
    // Even the right password waits now.
    RawSession s(host->server.address());
    const auto r = s.log_in(host->authenticator.one_time_password(), kView, {"vp9"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.reason().find("too many wrong passwords"), std::string::npos) << r.reason();
    EXPECT_GT(r.retry_after_ms(), 0u);
}

TEST_F(SecureSession, ViewOnlySessionInputIsDroppedByTheHost) {
    auto input = host->bus.topic<ServiceEvent>(kServicesTopic)->subscribe(Delivery::window(16));
    proto::SessionMessage key;
    key.mutable_input()->mutable_key()->set_keysym(0x61);
    key.mutable_input()->mutable_key()->set_down(true);

    auto viewer = logged_in(kView);
    viewer->send(key);
    auto controller = logged_in(kView | kInput);
    controller->send(key);

    const auto received = input->next(5s);
    ASSERT_TRUE(received);  // the controller's, as services take it
    EXPECT_EQ(received->topic, "input");
    EXPECT_EQ(received->permissions, static_cast<uint32_t>(kView | kInput));
    tether_input_event event{};
    ASSERT_EQ(received->data.size(), sizeof event);
    std::memcpy(&event, received->data.data(), sizeof event);
    EXPECT_EQ(event.type, static_cast<uint32_t>(TETHER_INPUT_KEY));
    EXPECT_EQ(event.keysym, 0x61u);
    EXPECT_EQ(event.down, 1u);
    EXPECT_FALSE(input->next(300ms));  // and nothing else
    const auto reports = host->server.reports();
    uint64_t refused = 0;
    uint64_t accepted = 0;
    for (const auto& r : reports) {
        refused += r.input_refused;
        accepted += r.input_accepted;
    }
    EXPECT_EQ(refused, 1u);
    EXPECT_EQ(accepted, 1u);
}

TEST_F(SecureSession, HostGrantsNoMoreThanAsked) {
    RawSession s(host->server.address());
    const auto r = s.log_in(host->authenticator.one_time_password(), kView, {"vp9"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.permissions(), static_cast<uint32_t>(kView));
}

TEST_F(SecureSession, MessagesBeforeLoginEndTheSession) {
    RawSession s(host->server.address());
    s.send(stats());
    EXPECT_TRUE(s.peer.wait_closed(10s));
    EXPECT_NE(end_reason().find("message before login"), std::string::npos) << end_reason();
}

TEST_F(SecureSession, OneTimePasswordChangesAfterASession) {
    const std::string first = host->authenticator.one_time_password();
    {
        auto s = logged_in();
    }
    const std::string second = host->authenticator.one_time_password();
    EXPECT_NE(first, second);
    RawSession again(host->server.address());
    EXPECT_FALSE(again.log_in(first, kView, {"vp9"}).ok());  // the used one no longer opens anything
}

TEST_F(SecureSession, WrongKeyPinIsRefusedBeforeLogin) {
    auto transport = Transport::create(test::plugin(TETHER_KIND_TRANSPORT, "tcp"));
    const std::string password = host->authenticator.one_time_password();
    EXPECT_THROW(net::SecureChannel::connect(transport->connect(host->server.address(), 5s),
                                             [](const std::string&, const security::PublicKey&) {
                                                 throw net::HandshakeError("host key changed");
                                             }),
                 net::HandshakeError);
    // The host never saw a login: the session ended without one and the one-time password is unused.
    const auto ended = host->ended_sessions(1, 10s);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended.front().permissions, 0u);
    EXPECT_EQ(host->authenticator.one_time_password(), password);
}

}  // namespace
}  // namespace tether::session
