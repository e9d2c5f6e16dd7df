// Messages through each socket transport: sizes (on each side of the
// WebSocket frame length encodings too), order, the size limits (the
// transport's and the host's, asked for each message) and backpressure as
// pending_bytes shows it.
#include "loopback.h"

#include "core/buffer.h"

#include <thread>

namespace tether::test {
namespace {

constexpr size_t kLimit = 16u << 20;  // the plugins' max_message_size

TEST_P(EveryTransport, MessagesOfEverySizeArriveIntactAndInOrderBothWays) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    const std::vector<size_t> sizes = {0, 1, 125, 126, 65535, 65536, 4 * 1024 * 1024};
    std::vector<Bytes> to_server;
    std::vector<Bytes> to_client;
    for (uint32_t i = 0; i < sizes.size(); ++i) {
        to_server.push_back(pattern(sizes[i], i));
        to_client.push_back(pattern(sizes[i], 100 + i));
        client->send(buffer_of(to_server.back()));
        server->send(buffer_of(to_client.back()));
    }

    ASSERT_TRUE(at_server.wait_for_messages(sizes.size()));
    ASSERT_TRUE(at_client.wait_for_messages(sizes.size()));
    EXPECT_EQ(at_server.messages(), to_server);
    EXPECT_EQ(at_client.messages(), to_client);
    EXPECT_EQ(at_client.closed_count(), 0);
    EXPECT_EQ(at_server.closed_count(), 0);
}

TEST_P(EveryTransport, TenThousandSmallMessagesArriveInOrder) {
    Inbox at_server;
    auto [client, server] = connect_collected(nullptr, &at_server);
    ASSERT_TRUE(server);

    constexpr uint32_t kCount = 10'000;
    for (uint32_t i = 0; i < kCount; ++i) client->send(buffer_of(pattern(1 + i % 50, i)));

    ASSERT_TRUE(at_server.wait_for_messages(kCount));
    const auto received = at_server.messages();
    ASSERT_EQ(received.size(), kCount);
    for (uint32_t i = 0; i < kCount; ++i) ASSERT_EQ(received[i], pattern(1 + i % 50, i)) << "message " << i;
}

TEST_P(EveryTransport, AMessageAtTheLimitArrivesAndOneByteMoreIsRefused) {
    Inbox at_server;
    auto [client, server] = connect_collected(nullptr, &at_server);
    ASSERT_TRUE(server);

    EXPECT_EQ(transport_->vtable().max_message_size, kLimit);
    EXPECT_EQ(transport_->vtable().scheme, GetParam());
    const Bytes largest = pattern(kLimit, 7);
    client->send(buffer_of(largest));
    try {
        client->send(BufferRef::allocate(kLimit + 1));
        FAIL() << "a message over the limit was accepted";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("message too large (16777217 bytes > 16777216)"), std::string::npos)
            << e.what();
    }

    ASSERT_TRUE(at_server.wait_for_messages(1));
    EXPECT_TRUE(at_server.messages().front() == largest);
    EXPECT_EQ(at_server.closed_count(), 0);  // the refused send did not break the connection
}

TEST_P(EveryTransport, TheHostsLimitIsAskedForEachMessage) {
    Inbox at_server;
    auto [client, server] = connect_pair();
    ASSERT_TRUE(server);
    server->set_receive_limit(1000);  // as a session does before login
    at_server.collect_from(*server);

    client->send(buffer_of(pattern(1000, 1)));
    ASSERT_TRUE(at_server.wait_for_messages(1));
    client->send(buffer_of(pattern(1001, 2)));
    const auto reason = at_server.wait_for_close();
    ASSERT_TRUE(reason.has_value());
    EXPECT_NE(reason->find("message too large"), std::string::npos) << *reason;
    EXPECT_NE(reason->find("1000"), std::string::npos) << *reason;
    EXPECT_EQ(at_server.message_count(), 1u);
}

TEST_P(EveryTransport, PendingBytesRiseWhileThePeerDoesNotReadAndFallToZeroOnceItDoes) {
    // The server end is not started yet, so nobody reads it: once the
    // kernel's socket buffers (a few MiB on loopback) are full, the rest
    // stays queued in the transport.
    Inbox at_server;
    auto [client, server] = connect_pair();
    ASSERT_TRUE(server);
    constexpr size_t kMessages = 64;
    constexpr size_t kMessageSize = 1 << 20;
    const BufferRef chunk = buffer_of(pattern(kMessageSize, 3));
    for (size_t i = 0; i < kMessages; ++i) client->send(chunk);

    std::this_thread::sleep_for(300ms);
    const size_t stalled = client->pending_bytes();
    EXPECT_GE(stalled, kMessages * kMessageSize / 2);
    EXPECT_LE(stalled, kMessages * (kMessageSize + 14));  // with their headers (a WebSocket frame's, masked, at most)

    at_server.collect_from(*server);
    ASSERT_TRUE(at_server.wait_for_messages(kMessages));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (client->pending_bytes() != 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    EXPECT_EQ(client->pending_bytes(), 0u);
    EXPECT_TRUE(at_server.messages().back() == pattern(kMessageSize, 3));
}

// A transport without ABI 1.5's channels or ports: its handle says so, and
// send_on is send() on channel 0 and refused on any other.
TEST_P(EveryTransport, WithoutChannelsSendOnIsSendOnChannelZero) {
    EXPECT_EQ(transport_->channels(), 1u);
    EXPECT_FALSE(transport_->supports_unreliable());
    EXPECT_FALSE(transport_->supports_punch());
    EXPECT_THROW(transport_->open_port("127.0.0.1:0", {}), PluginError);

    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server, true);
    ASSERT_TRUE(server);
    client->send_on(0, 0, buffer_of({7}));
    EXPECT_THROW(client->send_on(1, 0, buffer_of({8})), PluginError);
    EXPECT_THROW(client->send_on(0, TETHER_SEND_UNRELIABLE, buffer_of({9})), PluginError);
    ASSERT_TRUE(at_server.wait_for_messages(1));
    const auto got = at_server.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].channel, 0u);
    EXPECT_EQ(got[0].flags, 0u);
    EXPECT_EQ(got[0].bytes, Bytes{7});
}

// Here, once for every file's TEST_P of the suite in this test program.
INSTANTIATE_TEST_SUITE_P(SocketTransports, EveryTransport, ::testing::Values("tcp", "ws"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tether::test
