// Shared pieces of the transport tests: a plugin loaded through the
// registry, connected pairs over loopback, and thread-safe collectors for
// what the transport's thread delivers.
#pragma once

#include "core/plugin_objects.h"
#include "core/plugin_registry.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tether::test {

using namespace std::chrono_literals;
using Bytes = std::vector<uint8_t>;

// One message as a connection delivered it.
struct Received {
    uint32_t channel = 0;
    uint32_t flags = 0;  // TETHER_SEND_*
    Bytes bytes;
};

// Everything one connection delivered, in order.
class Inbox {
public:
    Connection::MessageFn message_fn();
    Connection::ChannelMessageFn channel_message_fn();
    Connection::ClosedFn closed_fn();
    void collect_from(Connection& connection) { connection.start(message_fn(), closed_fn()); }
    void collect_channels_from(Connection& connection) { connection.start_channels(channel_message_fn(), closed_fn()); }

    // False when they did not all arrive in time.
    bool wait_for_messages(size_t count, std::chrono::milliseconds timeout = 20s);
    // The on_closed reason, or nullopt when it did not come in time.
    std::optional<std::string> wait_for_close(std::chrono::milliseconds timeout = 10s);

    std::vector<Bytes> messages() const;
    std::vector<Received> received() const;  // with their channels and flags
    size_t message_count() const;
    int closed_count() const;

private:
    void add(Received message);

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Received> messages_;
    std::optional<std::string> closed_reason_;
    int closed_count_ = 0;
};

// Connections a listener accepted, with the peer addresses it reported.
class AcceptQueue {
public:
    Transport::AcceptFn accept_fn();
    // nullptr when none arrived in time.
    std::unique_ptr<Connection> next(std::chrono::milliseconds timeout = 10s);
    std::string last_peer() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<std::unique_ptr<Connection>> accepted_;
    std::string last_peer_;
};

struct ConnectedPair {
    std::unique_ptr<Connection> client;  // from connect()
    std::unique_ptr<Connection> server;  // from the listener; not started
};

// The same with a plain TCP socket of the test's own as the client.
struct RawPair {
    boost::asio::ip::tcp::socket raw;
    std::unique_ptr<Connection> server;  // from the listener; not started
};

// A transport plugin loaded through the registry, with a listener on 127.0.0.1.
class LoopbackTransportTest : public ::testing::Test {
protected:
    explicit LoopbackTransportTest(std::string factory) : factory_(std::move(factory)) {}
    void SetUp() override;
    void TearDown() override;

    // A listener on 127.0.0.1 with a fresh port, feeding `accepted`.
    std::unique_ptr<Listener> listen_loopback(AcceptQueue& accepted);
    // Reaches the loopback listener at `address` in the test's own way (connect(), a raw socket, a relay).
    using DialFn = std::function<void(const std::string& address)>;
    // The server end the loopback listener accepted once `dial` reached it;
    // not started. nullptr, and a failure, when none came.
    std::unique_ptr<Connection> accept_dialed(const DialFn& dial);
    // A client and the server end the listener accepted for it; neither is started.
    ConnectedPair connect_pair();
    // The same, each end with an inbox delivering into it (every channel's
    // messages with `channels`); an end without one is not started.
    ConnectedPair connect_collected(Inbox* at_client, Inbox* at_server, bool channels = false);
    // A plain TCP socket connected to the listener, and the server end it accepted; not started.
    RawPair connect_raw();

    PluginRegistry registry_;
    std::shared_ptr<Transport> transport_;

private:
    const std::string factory_;
    size_t buffers_before_ = 0;
    AcceptQueue pair_accepts_;
    std::unique_ptr<Listener> pair_listener_;
    boost::asio::io_context raw_io_;  // connect_raw()'s sockets'; never run, as they only make blocking calls
};

class TcpTransportTest : public LoopbackTransportTest {
protected:
    TcpTransportTest() : LoopbackTransportTest("tcp") {}
};

class WebSocketTransportTest : public LoopbackTransportTest {
protected:
    WebSocketTransportTest() : LoopbackTransportTest("ws") {}
    void SetUp() override;  // skips where this build has no transport-websocket
};

// What the ABI asks of every transport, run on each socket transport ("tcp", "ws").
class EveryTransport : public LoopbackTransportTest, public ::testing::WithParamInterface<std::string> {
protected:
    EveryTransport() : LoopbackTransportTest(GetParam()) {}
    void SetUp() override;  // skips a transport this build left out
};

// The reason connect() gives for `address`, or "connected".
std::string connect_error(Transport& transport, const std::string& address, std::chrono::milliseconds timeout = 2s);

// Limits the process's address space to its current size plus `headroom`
// while alive, so that a larger allocation fails instead of succeeding lazily.
class AddressSpaceCap {
public:
    explicit AddressSpaceCap(size_t headroom);
    ~AddressSpaceCap();
    AddressSpaceCap(const AddressSpaceCap&) = delete;
    AddressSpaceCap& operator=(const AddressSpaceCap&) = delete;
    bool active() const { return active_; }

private:
    rlimit saved_{};
    bool active_ = false;
};

// Deterministic bytes that differ between messages, to catch mix-ups.
Bytes pattern(size_t size, uint32_t seed);
BufferRef buffer_of(const Bytes& bytes);

// "127.0.0.1:40123" as an endpoint, for raw sockets in tests.
boost::asio::ip::tcp::endpoint endpoint_of(const std::string& address);

}  // namespace tether::test
