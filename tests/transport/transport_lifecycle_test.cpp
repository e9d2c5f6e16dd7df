// How connections and listeners end: by the peer, locally with a goodbye
// just before, from inside a callback, on every socket transport; by a
// reset and before the host started listening, over TCP.
#include "loopback.h"

#include "core/buffer.h"

#include <boost/asio/write.hpp>

#include <atomic>
#include <thread>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

TEST_P(EveryTransport, PeerCloseReportsClosedByPeerAndLaterSendsFail) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    client->close();
    EXPECT_EQ(at_client.wait_for_close(), "closed locally");
    EXPECT_EQ(at_server.wait_for_close(), "closed by peer");
    try {
        server->send(buffer_of({1, 2, 3}));
        FAIL() << "send on a connection the peer closed succeeded";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("connection closed: closed by peer"), std::string::npos) << e.what();
    }
    server->close();
    EXPECT_EQ(at_server.closed_count(), 1);
    EXPECT_EQ(at_client.closed_count(), 1);
}

TEST_F(TcpTransportTest, ResetByThePeerReportsConnectionReset) {
    Inbox at_server;
    auto [raw, server] = connect_raw();
    ASSERT_TRUE(server);
    at_server.collect_from(*server);

    raw.set_option(tcp::socket::linger(true, 0));  // close() now sends RST
    raw.close();
    EXPECT_EQ(at_server.wait_for_close(), "connection reset");
}

TEST_P(EveryTransport, WhatWasSentJustBeforeCloseStillArrives) {
    Inbox at_client;
    Inbox at_server;
    auto [client, server] = connect_collected(&at_client, &at_server);
    ASSERT_TRUE(server);

    // A refusal's reason, then the close at once.
    const Bytes goodbye = pattern(200'000, 5);
    server->send(buffer_of(goodbye));
    server->close();
    ASSERT_TRUE(at_client.wait_for_messages(1));
    EXPECT_TRUE(at_client.messages().front() == goodbye);
    EXPECT_EQ(at_client.wait_for_close(), "closed by peer");
    EXPECT_EQ(at_client.closed_count(), 1);
    EXPECT_EQ(at_server.closed_count(), 1);
}

TEST_P(EveryTransport, CloseFromInsideOnMessageStopsDeliveryAtOnce) {
    Inbox at_client;
    Inbox at_server;
    std::atomic<int> delivered{0};
    std::atomic<int> closed_inside{0};
    auto pair = connect_collected(&at_client, nullptr);
    ASSERT_TRUE(pair.server);

    // Queued before the server reads, so that several arrive in one read and
    // the ones after the close must be dropped.
    for (uint8_t i = 0; i < 100; ++i) pair.client->send(buffer_of({i}));
    Connection& server = *pair.server;
    server.start(
        [&](std::span<const uint8_t>) {
            ++delivered;
            server.close();  // re-enters the plugin from its own callback
            closed_inside += at_server.closed_count();
        },
        at_server.closed_fn());

    EXPECT_EQ(at_server.wait_for_close(), "closed locally");
    const auto client_saw = at_client.wait_for_close();
    ASSERT_TRUE(client_saw.has_value());
    EXPECT_TRUE(*client_saw == "closed by peer" || *client_saw == "connection reset") << *client_saw;
    EXPECT_EQ(delivered.load(), 1);
    EXPECT_EQ(closed_inside.load(), 1);  // on_closed ran before close() returned
    EXPECT_EQ(at_server.closed_count(), 1);
}

TEST_F(TcpTransportTest, AConnectionThatEndsBeforeStartReportsItWhenStarted) {
    Inbox at_server;
    auto [raw, server] = connect_raw();
    ASSERT_TRUE(server);
    raw.set_option(tcp::socket::linger(true, 0));
    raw.close();

    // Writing meets the reset; the connection ends with nobody to tell yet.
    bool refused = false;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!refused && std::chrono::steady_clock::now() < deadline) {
        try {
            server->send(buffer_of({42}));
            std::this_thread::sleep_for(5ms);
        } catch (const PluginError&) {
            refused = true;
        }
    }
    ASSERT_TRUE(refused) << "sending to a reset peer never failed";

    at_server.collect_from(*server);
    EXPECT_EQ(at_server.wait_for_close(), "connection reset");
    EXPECT_EQ(at_server.closed_count(), 1);
}

TEST_P(EveryTransport, NoCallbackRunsAfterCloseReturns) {
    std::atomic<bool> closed{false};
    std::atomic<int> late_calls{0};
    auto [client, server] = connect_pair();
    ASSERT_TRUE(server);
    server->start([&](std::span<const uint8_t>) { late_calls += closed.load() ? 1 : 0; },
                  [&](const std::string&) { late_calls += closed.load() ? 1 : 0; });
    for (uint32_t i = 0; i < 2000; ++i) client->send(buffer_of(pattern(100, i)));

    std::this_thread::sleep_for(1ms);  // let deliveries be under way
    server->close();
    closed = true;
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(late_calls.load(), 0);
}

TEST_P(EveryTransport, ClosingTheListenerStopsAccepting) {
    AcceptQueue accepted;
    auto listener = listen_loopback(accepted);
    const std::string address = listener->address();
    listener.reset();
    EXPECT_THROW(transport_->connect(address, 2s), PluginError);
    EXPECT_EQ(accepted.next(100ms), nullptr);
}

}  // namespace
}  // namespace tether::test
