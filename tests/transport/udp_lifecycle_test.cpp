// How udp connections and listeners end: a goodbye after what was sent, a
// close from inside a callback, a peer that goes silent, a lossy path, and
// the connections a closed listener leaves behind.
#include "udp_fixture.h"

#include <atomic>

namespace tether::test {
namespace {

TEST_F(UdpTransportTest, CloseDeliversWhatWasSentThenSaysGoodbye) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    constexpr uint32_t kCount = 100;
    for (uint32_t i = 0; i < kCount; ++i) client->send(buffer_of(pattern(3000, i)));
    client->close();
    EXPECT_EQ(at_client.wait_for_close(), "closed locally");
    EXPECT_EQ(at_server.wait_for_close(), "closed by peer");
    const auto got = at_server.messages();
    ASSERT_EQ(got.size(), kCount);
    for (uint32_t i = 0; i < kCount; ++i) EXPECT_EQ(got[i], pattern(3000, i));
    EXPECT_THROW(server->send(buffer_of({1})), PluginError);
    server->close();
    EXPECT_EQ(at_client.closed_count(), 1);
    EXPECT_EQ(at_server.closed_count(), 1);
}

TEST_F(UdpTransportTest, CloseFromInsideOnMessageStopsDeliveryAtOnce) {
    Inbox at_client;
    Inbox at_server;
    std::atomic<int> delivered{0};
    auto pair = connect_collected(&at_client, nullptr);
    ASSERT_TRUE(pair.server);
    for (uint8_t i = 0; i < 50; ++i) pair.client->send(buffer_of({i}));

    Connection& server = *pair.server;
    server.start(
        [&](std::span<const uint8_t>) {
            ++delivered;
            server.close();  // re-enters the plugin from its own callback
        },
        at_server.closed_fn());
    EXPECT_EQ(at_server.wait_for_close(), "closed locally");
    EXPECT_EQ(at_client.wait_for_close(), "closed by peer");
    EXPECT_EQ(delivered.load(), 1);
    EXPECT_EQ(at_server.closed_count(), 1);
}

TEST_F(UdpTransportTest, ClosingBeforeStartReportsNothingAndSaysGoodbye) {
    Inbox at_client;
    auto [client, server] = connect_collected(&at_client, nullptr);
    ASSERT_TRUE(server);
    server->close();  // a host refusing a connection it never started
    EXPECT_EQ(at_client.wait_for_close(), "closed by peer");
}

// A connection whose datagrams go through a relay the test controls.
class RelayedTest : public UdpTransportTest {
protected:
    void SetUp() override {
        UdpTransportTest::SetUp();
        server_ = accept_dialed([this](const std::string& address) {
            relay_ = std::make_unique<UdpRelay>(address);
            client_ = transport_->connect(relay_->address(), 5s);
        });
        ASSERT_TRUE(server_);
        at_client_.collect_from(*client_);
        at_server_.collect_from(*server_);
    }
    void TearDown() override {
        client_.reset();
        server_.reset();
        relay_.reset();
        UdpTransportTest::TearDown();
    }

    std::unique_ptr<UdpRelay> relay_;
    Inbox at_client_;
    Inbox at_server_;
    std::unique_ptr<Connection> client_;
    std::unique_ptr<Connection> server_;
};

TEST_F(RelayedTest, APeerThatFallsSilentTimesOut) {
    client_->send(buffer_of({1}));
    ASSERT_TRUE(at_server_.wait_for_messages(1));
    relay_->cut();
    // ENet gives a peer that answers nothing 5 to 30 s.
    EXPECT_EQ(at_client_.wait_for_close(60s), "timed out");
    EXPECT_EQ(at_server_.wait_for_close(60s), "timed out");
}

TEST_F(RelayedTest, ALossyPathStillDeliversEverythingInOrder) {
    relay_->drop_percent(10);
    constexpr uint32_t kCount = 200;
    for (uint32_t i = 0; i < kCount; ++i) {
        client_->send(buffer_of(pattern(1 + i * 20, i)));
        server_->send(buffer_of(pattern(1 + i * 13, 500 + i)));
    }
    ASSERT_TRUE(at_server_.wait_for_messages(kCount, 60s));
    ASSERT_TRUE(at_client_.wait_for_messages(kCount, 60s));
    for (uint32_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(at_server_.messages()[i], pattern(1 + i * 20, i));
        ASSERT_EQ(at_client_.messages()[i], pattern(1 + i * 13, 500 + i));
    }
}

TEST_F(UdpTransportTest, ConnectionsOutliveTheirListener) {
    Inbox at_client;
    Inbox at_server;
    AcceptQueue accepted;
    auto listener = listen_loopback(accepted);
    auto client = transport_->connect(listener->address(), 5s);
    auto server = accepted.next();
    ASSERT_TRUE(server);
    listener.reset();
    at_client.collect_from(*client);
    at_server.collect_from(*server);
    client->send(buffer_of({1}));
    server->send(buffer_of({2}));
    ASSERT_TRUE(at_server.wait_for_messages(1));
    ASSERT_TRUE(at_client.wait_for_messages(1));
}

TEST_F(UdpTransportTest, ConnectingToASilentAddressTimesOut) {
    const RawUdp silent;
    try {
        transport_->connect(silent.address(), 300ms);
        FAIL() << "connected to a socket that never answers";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("timed out after 300 ms"), std::string::npos) << e.what();
    }
}

TEST_F(UdpTransportTest, AddressesItCannotUseAreRefused) {
    EXPECT_THROW(transport_->connect("[::1]:5000", 1s), PluginError);
    EXPECT_THROW(transport_->connect("127.0.0.1", 1s), PluginError);
    EXPECT_THROW(transport_->connect("127.0.0.1:0", 1s), PluginError);
    AcceptQueue accepted;
    EXPECT_THROW(transport_->listen("127.0.0.1:99999", accepted.accept_fn()), PluginError);
    const auto listener = transport_->listen("udp://127.0.0.1:0", accepted.accept_fn());
    EXPECT_TRUE(listener->address().starts_with("127.0.0.1:")) << listener->address();
}

}  // namespace
}  // namespace tether::test
