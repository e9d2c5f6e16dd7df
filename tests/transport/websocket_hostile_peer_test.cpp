// A hand-written WebSocket client against the transport's listener: garbage
// before and after the upgrade, a request that never ends, too many
// upgrades at once, frames that lie about their size or break the protocol,
// and the wire format itself.
#include "loopback.h"
#include "raw_websocket.h"

#include <sys/socket.h>

#include <thread>

namespace tether::test {
namespace {

constexpr auto kPatience = 20s;

Bytes as_bytes(std::string_view text) { return {text.begin(), text.end()}; }

class RawWebSocketTest : public WebSocketTransportTest {
protected:
    void SetUp() override {
        WebSocketTransportTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        listener_ = listen_loopback(accepted_);
    }
    void TearDown() override {
        server_.reset();
        listener_.reset();
        WebSocketTransportTest::TearDown();
    }
    // A raw client upgraded and its connection as the host got it, started into at_server_.
    std::unique_ptr<RawWebSocket> upgraded() {
        auto raw = std::make_unique<RawWebSocket>(listener_->address());
        EXPECT_EQ(raw->upgrade("/"), "HTTP/1.1 101 Switching Protocols");
        server_ = accepted_.next();
        EXPECT_TRUE(server_);
        if (server_) at_server_.collect_from(*server_);
        return raw;
    }

    Inbox at_server_;  // outlives the connection that reports to it
    AcceptQueue accepted_;
    std::unique_ptr<Listener> listener_;
    std::unique_ptr<Connection> server_;
};

TEST_F(RawWebSocketTest, GarbageInsteadOfAnUpgradeIsAnsweredAndNeverReachesTheHost) {
    RawWebSocket raw(listener_->address());
    raw.send_bytes(as_bytes("\x16\x03\x01 this is no HTTP at all\r\n\r\n"));
    EXPECT_TRUE(raw.wait_closed(kPatience));
    RawWebSocket plain_get(listener_->address());
    plain_get.send_bytes(as_bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));  // HTTP, but no upgrade
    EXPECT_EQ(plain_get.read_status(kPatience), "HTTP/1.1 426 Upgrade Required");
    EXPECT_EQ(accepted_.next(200ms), nullptr);
}

TEST_F(RawWebSocketTest, BytesSentBeforeTheUpgradeIsAnsweredAreRefused) {
    RawWebSocket eager(listener_->address());
    std::string request = upgrade_request("/");
    const Bytes frame = ws_frame(ws_opcode::kBinary, Bytes{1, 2, 3});
    request.append(frame.begin(), frame.end());
    eager.send_bytes(as_bytes(request));
    EXPECT_EQ(eager.read_status(kPatience), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(accepted_.next(200ms), nullptr);
}

TEST_F(RawWebSocketTest, AnUpgradeRequestThatNeverEndsIsCutOff) {
    RawWebSocket slow(listener_->address());
    slow.send_bytes(as_bytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));  // and then nothing
    const auto began = std::chrono::steady_clock::now();
    EXPECT_TRUE(slow.wait_closed(kPatience));
    // The plugin's upgrade timeout is 10 s; the bound only proves it is not forever.
    EXPECT_LT(std::chrono::steady_clock::now() - began, kPatience);
    EXPECT_EQ(accepted_.next(100ms), nullptr);
}

TEST_F(RawWebSocketTest, AnOversizedRequestIsRefused) {
    RawWebSocket large(listener_->address());
    large.send_bytes(as_bytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + std::string(16 * 1024, 'a') + "\r\n\r\n"));
    EXPECT_TRUE(large.wait_closed(kPatience));
    EXPECT_EQ(accepted_.next(100ms), nullptr);
}

TEST_F(RawWebSocketTest, UpgradesUnderWayAreCappedPerSource) {
    // Eight silent connections from one address take its share of upgrades...
    std::vector<std::unique_ptr<RawWebSocket>> silent;
    for (int i = 0; i < 8; ++i) silent.push_back(std::make_unique<RawWebSocket>(listener_->address()));
    std::this_thread::sleep_for(300ms);  // accepted, and each waiting for its request
    // ...so the ninth is closed at once, while another address still gets in.
    RawWebSocket ninth(listener_->address());
    EXPECT_TRUE(ninth.wait_closed(5s));
    RawWebSocket other(listener_->address(), {.source = "127.0.0.2"});
    EXPECT_EQ(other.upgrade("/"), "HTTP/1.1 101 Switching Protocols");
    EXPECT_TRUE(accepted_.next());
}

TEST_F(RawWebSocketTest, SentMessagesAreOneUnmaskedBinaryFrameEach) {
    auto raw = upgraded();
    server_->send(buffer_of({'h', 'i', '!'}));
    server_->send(buffer_of(pattern(300, 1)));
    const auto first = raw->receive_ws(kPatience);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->opcode, ws_opcode::kBinary);
    EXPECT_TRUE(first->fin);
    EXPECT_FALSE(first->masked);
    EXPECT_EQ(first->payload, (Bytes{'h', 'i', '!'}));
    const auto second = raw->receive_ws(kPatience);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->payload, pattern(300, 1));
}

TEST_F(RawWebSocketTest, MessagesSplitAtEveryByteArriveWhole) {
    auto raw = upgraded();
    const Bytes message = pattern(300, 4);
    const Bytes frame = ws_frame(ws_opcode::kBinary, message);
    for (const uint8_t byte : frame) {
        raw->send_bytes({&byte, 1});
        std::this_thread::sleep_for(100us);
    }
    ASSERT_TRUE(at_server_.wait_for_messages(1));
    EXPECT_EQ(at_server_.messages().front(), message);
}

// ABI 1.7: what of a message has come is counted before the message is whole.
TEST_F(RawWebSocketTest, ReceivedBytesCountAMessageAsItArrives) {
    auto raw = upgraded();
    ASSERT_TRUE(server_->received_bytes().has_value());
    const uint64_t before = *server_->received_bytes();
    const Bytes frame = ws_frame(ws_opcode::kBinary, pattern(10'000, 5));
    const size_t half = frame.size() / 2;
    raw->send_bytes({frame.data(), half});
    for (auto deadline = std::chrono::steady_clock::now() + kPatience; *server_->received_bytes() - before < half;) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << *server_->received_bytes() - before << " bytes counted";
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_TRUE(at_server_.messages().empty());
    raw->send_bytes({frame.data() + half, frame.size() - half});
    ASSERT_TRUE(at_server_.wait_for_messages(1));
    EXPECT_EQ(*server_->received_bytes() - before, frame.size());
}

TEST_F(RawWebSocketTest, AHugeFrameIsRefusedWithoutAllocatingIt) {
    auto raw = upgraded();
    // A binary frame announcing 1 GiB: the header alone.
    const Bytes header = {0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4};
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer reserves its heap up front, so a cap proves nothing there.
    raw->send_bytes(header);
    const auto reason = at_server_.wait_for_close();
#else
    std::optional<std::string> reason;
    {
        AddressSpaceCap cap(512u << 20);
        ASSERT_TRUE(cap.active()) << "cannot cap the address space";
        raw->send_bytes(header);
        reason = at_server_.wait_for_close();
    }
#endif
    EXPECT_EQ(reason, "message too large (more than 16777216 bytes)");
    EXPECT_EQ(at_server_.message_count(), 0u);
    EXPECT_TRUE(raw->wait_closed(kPatience));
}

TEST_F(RawWebSocketTest, BrokenFramesEndTheConnectionWithAReason) {
    const std::vector<Bytes> broken = {
        ws_frame(ws_opcode::kBinary, Bytes{1, 2}, true, false),  // unmasked, from a client
        {0xc2, 0x80, 1, 2, 3, 4},                                // a reserved bit
        {0x83, 0x80, 1, 2, 3, 4},                                // an unknown opcode
        ws_frame(ws_opcode::kText, as_bytes("text")),            // text, where messages are binary
    };
    for (const Bytes& frame : broken) {
        Inbox at_server;
        RawWebSocket raw(listener_->address());
        ASSERT_EQ(raw.upgrade("/"), "HTTP/1.1 101 Switching Protocols");
        const auto server = accepted_.next();
        ASSERT_TRUE(server);
        at_server.collect_from(*server);
        raw.send_bytes(frame);
        const auto reason = at_server.wait_for_close();
        ASSERT_TRUE(reason.has_value());
        EXPECT_TRUE(reason->starts_with("WebSocket: ")) << *reason;
        EXPECT_EQ(at_server.message_count(), 0u);
    }
}

TEST_F(RawWebSocketTest, APingIsAnsweredAndAResetIsReported) {
    auto raw = upgraded();
    raw->send_bytes(ws_frame(ws_opcode::kPing, as_bytes("are you there")));
    const auto pong = raw->receive_ws(kPatience);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->opcode, ws_opcode::kPong);
    EXPECT_EQ(pong->payload, as_bytes("are you there"));

    const linger abrupt{1, 0};  // close() now sends an RST
    setsockopt(raw->fd(), SOL_SOCKET, SO_LINGER, &abrupt, sizeof abrupt);
    raw.reset();
    EXPECT_EQ(at_server_.wait_for_close(), "connection reset");
}

}  // namespace
}  // namespace tether::test
