// A relay on loopback with its io_context on a thread of its own, the
// rendezvous server's key that signs its tokens, and a host and a viewer.
#pragma once

#include "relay_test_peer.h"
#include "rendezvous/signatures.h"
#include "server/relay_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace tether::server::test {

class RelayTest : public ::testing::Test {
public:
    ~RelayTest() override;

    // Listens on 127.0.0.1 with the rendezvous key of this fixture.
    void start(RelayOptions options = {});
    std::string address() const { return relay_->address(); }

    proto::RelayToken token(int64_t lifetime_s = 30) const;
    proto::RelayHello host_hello(const proto::RelayToken& t) const { return rendezvous::make_relay_hello(t, true, host_); }
    proto::RelayHello viewer_hello(const proto::RelayToken& t) const {
        return rendezvous::make_relay_hello(t, false, viewer_);
    }
    std::unique_ptr<TestPeer> present(const proto::RelayHello& hello) const;
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

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::thread thread_;
};

}  // namespace tether::server::test
