// A relay on loopback with its io_context on a thread of its own, the
// rendezvous server's key that signs its tokens, and a host and a viewer;
// optionally the WebSocket gateway in front of it, as `tether serve` runs it.
#pragma once

#include "raw_websocket.h"
#include "relay_test_peer.h"
#include "rendezvous/signatures.h"
#include "server/relay_server.h"
#include "server/websocket_gateway.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace tether::server::test {

class RelayTest : public ::testing::Test {
public:
    ~RelayTest() override;

    // Listens on 127.0.0.1 with the rendezvous key of this fixture; with
    // `websocket`, the gateway too, serving /relay.
    void start(RelayOptions options = {}, std::optional<WebSocketGatewayOptions> websocket = std::nullopt);
    std::string address() const { return relay_->address(); }
    std::string websocket_address() const { return gateway_->address(); }

    proto::RelayToken token(int64_t lifetime_s = 30) const;
    proto::RelayHello host_hello(const proto::RelayToken& t) const { return rendezvous::make_relay_hello(t, true, host_); }
    proto::RelayHello viewer_hello(const proto::RelayToken& t) const {
        return rendezvous::make_relay_hello(t, false, viewer_);
    }
    std::unique_ptr<TestPeer> present(const proto::RelayHello& hello) const;
    // The same over WebSocket: upgraded to /relay, the hello one binary message.
    std::unique_ptr<::tether::test::RawWebSocket> present_over_websocket(const proto::RelayHello& hello,
                                                                         const std::string& source = "127.0.0.1") const;
    // A host and a viewer paired on a fresh token: {host, viewer}.
    std::pair<std::unique_ptr<TestPeer>, std::unique_ptr<TestPeer>> paired_peers();
    // `count` more connections from `source` that send nothing, each counted unpaired before the next.
    std::vector<std::unique_ptr<TestPeer>> hold_unpaired(size_t count, const std::string& source = "127.0.0.1");
    // Polls `done` until it holds or kPatience passes.
    static bool eventually(const std::function<bool()>& done);

    ServerMetrics metrics_;
    const security::Identity rendezvous_ = security::fresh_identity();
    const security::Identity host_ = security::fresh_identity();
    const security::Identity viewer_ = security::fresh_identity();
    boost::asio::io_context io_;
    std::unique_ptr<RelayServer> relay_;
    std::unique_ptr<WebSocketGateway> gateway_;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::thread thread_;
};

// The relay's answer in a WebSocket peer's framing; nullopt when the relay closed first.
std::optional<proto::RelayAnswer> read_answer(::tether::test::RawWebSocket& peer);

}  // namespace tether::server::test
