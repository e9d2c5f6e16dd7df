// What udp connections carry: whole messages in order both ways, large ones,
// unreliable ones on the video channel, and the limits on each.
#include "udp_fixture.h"

#include <thread>

namespace tether::test {
namespace {

constexpr uint32_t kVideo = 1;

TEST_F(UdpTransportTest, MessagesArriveWholeAndInOrderBothWays) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    constexpr uint32_t kCount = 300;
    for (uint32_t i = 0; i < kCount; ++i) {
        client->send(buffer_of(pattern(1 + i * 10, i)));
        server->send(buffer_of(pattern(1 + i * 7, 1000 + i)));
    }
    ASSERT_TRUE(at_server.wait_for_messages(kCount));
    ASSERT_TRUE(at_client.wait_for_messages(kCount));
    const auto to_server = at_server.messages();
    const auto to_client = at_client.messages();
    for (uint32_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(to_server[i], pattern(1 + i * 10, i)) << "message " << i;
        ASSERT_EQ(to_client[i], pattern(1 + i * 7, 1000 + i)) << "message " << i;
    }
}

TEST_F(UdpTransportTest, LargeMessagesUpToTheLimitArriveWhole) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    const std::vector<size_t> sizes = {1400, 64 << 10, 1 << 20, transport_->vtable().max_message_size};
    for (size_t i = 0; i < sizes.size(); ++i) client->send(buffer_of(pattern(sizes[i], static_cast<uint32_t>(i))));
    ASSERT_TRUE(at_server.wait_for_messages(sizes.size(), 120s));
    const auto got = at_server.messages();
    for (size_t i = 0; i < sizes.size(); ++i) EXPECT_EQ(got[i], pattern(sizes[i], static_cast<uint32_t>(i))) << sizes[i];
}

TEST_F(UdpTransportTest, AMessageOverTheLimitIsRefusedWhenSent) {
    auto [client, server] = connect_pair();
    ASSERT_TRUE(server);
    try {
        client->send(BufferRef::allocate(transport_->vtable().max_message_size + 1));
        FAIL() << "an oversized message was queued";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("message too large"), std::string::npos) << e.what();
    }
}

TEST_F(UdpTransportTest, UnreliableMessagesOnTheVideoChannelArriveIntactAndInOrder) {
    ASSERT_EQ(transport_->channels(), 2u);
    ASSERT_TRUE(transport_->supports_unreliable());
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server, true);
    ASSERT_TRUE(server);

    // One at a time, small and fragmented, so that nothing overflows a socket
    // buffer; ENet may still drop some when it throttles, which unreliable allows.
    constexpr uint32_t kCount = 40;
    for (uint32_t i = 0; i < kCount; ++i) {
        const size_t before = at_server.message_count();
        client->send_on(kVideo, TETHER_SEND_UNRELIABLE, buffer_of(pattern(i % 2 ? 6000 : 600, i)));
        at_server.wait_for_messages(before + 1, 2s);
    }
    // A reliable message on the same channel comes after every unreliable one still on its way.
    client->send_on(kVideo, 0, buffer_of({0xEE}));
    const auto last_is_barrier = [&] {
        const auto got = at_server.received();
        return !got.empty() && got.back().flags == 0;
    };
    for (auto deadline = std::chrono::steady_clock::now() + 20s; !last_is_barrier();) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the reliable message did not arrive";
        std::this_thread::sleep_for(10ms);
    }

    const auto got = at_server.received();
    ASSERT_GE(got.size(), 2u) << "no unreliable message arrived at all";
    int64_t previous = -1;
    for (size_t n = 0; n + 1 < got.size(); ++n) {
        EXPECT_EQ(got[n].channel, kVideo);
        EXPECT_EQ(got[n].flags, uint32_t{TETHER_SEND_UNRELIABLE});
        // Which one it is, from its size and bytes: it must be one that was sent, after the one before.
        int64_t index = -1;
        for (uint32_t i = 0; i < kCount && index < 0; ++i)
            if (got[n].bytes == pattern(i % 2 ? 6000 : 600, i)) index = i;
        ASSERT_GE(index, 0) << "message " << n << " is not one that was sent";
        EXPECT_GT(index, previous);
        previous = index;
    }
    EXPECT_EQ(got.back().channel, kVideo);
    EXPECT_EQ(got.back().bytes, Bytes{0xEE});
    RecordProperty("unreliable_delivered", static_cast<int>(got.size() - 1));
}

TEST_F(UdpTransportTest, AHostWithoutChannelsGetsOnlyTheReliableStreamOfChannelZero) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    client->send_on(kVideo, 0, buffer_of({1}));
    client->send_on(kVideo, TETHER_SEND_UNRELIABLE, buffer_of({2}));
    client->send_on(0, TETHER_SEND_UNRELIABLE, buffer_of({3}));
    client->send_on(0, 0, buffer_of({4}));
    client->send(buffer_of({5}));
    ASSERT_TRUE(at_server.wait_for_messages(2));
    std::this_thread::sleep_for(100ms);  // nothing else follows
    EXPECT_EQ(at_server.messages(), (std::vector<Bytes>{{4}, {5}}));
}

TEST_F(UdpTransportTest, ChannelsAndFlagsTheTransportLacksAreRefused) {
    auto [client, server] = connect_pair();
    ASSERT_TRUE(server);
    EXPECT_THROW(client->send_on(2, 0, buffer_of({1})), PluginError);
    EXPECT_THROW(client->send_on(0, 1u << 7, buffer_of({1})), PluginError);
}

TEST_F(UdpTransportTest, AMessageOverTheReceiversLimitEndsTheConnection) {
    for (const auto& [limit, size] : {std::pair<uint32_t, size_t>{1000, 1001}, {100'000, 1 << 20}}) {
        Inbox at_client;
        Inbox at_server;
        auto [client, server] = connect_collected(&at_client, &at_server);
        ASSERT_TRUE(server);
        server->set_receive_limit(limit);

        client->send(buffer_of(pattern(limit, 1)));  // at the limit: taken
        client->send(buffer_of(pattern(size, 2)));
        EXPECT_EQ(at_server.wait_for_close(),
                  "message too large (" + std::to_string(size) + " bytes > " + std::to_string(limit) + ")");
        EXPECT_EQ(at_server.messages(), std::vector<Bytes>{pattern(limit, 1)});
        EXPECT_EQ(at_client.wait_for_close(30s), "refused by peer");
    }
}

// ABI 1.7: a message's pieces are counted as they arrive, before it is whole (a viewer hears its host
// on a thin path by them); acknowledgements and pings carry no message and are not counted.
TEST_F(UdpTransportTest, ReceivedBytesCountAMessagesPiecesAsTheyArriveAndNothingElse) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);
    ASSERT_TRUE(server->received_bytes().has_value());
    const uint64_t before = *server->received_bytes();

    const size_t size = transport_->vtable().max_message_size;
    client->send(buffer_of(pattern(size, 7)));
    bool counted_before_whole = false;
    for (auto deadline = std::chrono::steady_clock::now() + 120s; at_server.messages().empty();) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the message never came whole";
        counted_before_whole = counted_before_whole || *server->received_bytes() > before;
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_TRUE(counted_before_whole) << "nothing counted until the message was whole";
    EXPECT_GE(*server->received_bytes() - before, size);  // every piece, with its headers
    // The client heard only acknowledgements.
    EXPECT_EQ(client->received_bytes(), std::optional<uint64_t>(0));
}

TEST_F(UdpTransportTest, PendingBytesCountWhatThePeerHasNotTakenYet) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    for (uint32_t i = 0; i < 32; ++i) client->send(buffer_of(pattern(64 << 10, i)));
    // 2 MiB cannot all be acknowledged before send() returns: ENet's window is 64 KiB.
    EXPECT_GT(client->pending_bytes(), 0u);
    ASSERT_TRUE(at_server.wait_for_messages(32, 60s));
    for (auto deadline = std::chrono::steady_clock::now() + 20s; client->pending_bytes() > 0;) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << client->pending_bytes() << " bytes still pending";
        std::this_thread::sleep_for(10ms);
    }
}

}  // namespace
}  // namespace tether::test
