// A rendezvous server on loopback with its io_context on a thread of its own,
// and what the tests need around it: identities, blocking clients, waiting.
#pragma once

#include "server/rendezvous_probe.h"
#include "server/rendezvous_server.h"
#include "server/websocket_gateway.h"
#include "temp_dir.h"
#include "x_terminal.h"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace tether::server::test {

using namespace std::chrono_literals;

class RendezvousTest : public ::testing::Test {
protected:
    ~RendezvousTest() override;

    RendezvousOptions options() const;  // loopback, any port, the test's registry file
    // With `websocket`, the WebSocket gateway too, serving /rendezvous.
    void start(RendezvousOptions options, bool websocket = false);
    void start() { start(options()); }
    std::string websocket_server() const { return "ws://" + gateway->address(); }
    void stop();

    ProbeConnection connect(const std::string& source = {}) const;
    // A host that registered and holds its control connection.
    ProbeConnection register_online(const security::Identity& host, uint32_t listen_port = 0,
                                     const std::vector<std::string>& lan_addrs = {});
    proto::LookupReply look_up(const std::string& id, const security::PublicKey& viewer_key, uint32_t listen_port = 0,
                               const std::vector<std::string>& viewer_addrs = {});

    const security::Identity server_key = security::fresh_identity();
    ::tether::test::TempDir dir;
    ServerMetrics metrics;
    std::unique_ptr<boost::asio::io_context> io;
    std::unique_ptr<RendezvousServer> server;
    std::unique_ptr<WebSocketGateway> gateway;
    std::thread thread;
};

using ::tether::test::eventually;

}  // namespace tether::server::test
