#include "relay_fixture.h"

#include "rendezvous/wire.h"

#include <boost/asio/post.hpp>

#include <future>

namespace tether::server::test {

RelayTest::~RelayTest() {
    if (!thread_.joinable()) return;
    // stop() must leave nothing behind: the loop then runs out of work by itself.
    std::promise<void> ran_out;
    auto done = ran_out.get_future();
    boost::asio::post(io_, [this] {
        if (gateway_) gateway_->stop();
        relay_->stop();
    });
    work_.reset();
    std::thread watcher([&] {
        thread_.join();
        ran_out.set_value();
    });
    if (done.wait_for(kPatience) != std::future_status::ready) {
        ADD_FAILURE() << "the relay left work behind after stop()";
        io_.stop();
    }
    watcher.join();
}

void RelayTest::start(RelayOptions options, std::optional<WebSocketGatewayOptions> websocket) {
    options.listen = "127.0.0.1:0";
    options.rendezvous_key = rendezvous_.public_key;
    relay_ = std::make_unique<RelayServer>(io_, std::move(options), metrics_);
    if (websocket) {
        websocket->listen = "127.0.0.1:0";
        gateway_ = std::make_unique<WebSocketGateway>(
            io_, *websocket,
            WebSocketGateway::Routes{{"/relay", [this](UpgradedSocket s) { relay_->adopt_websocket(std::move(s)); }}},
            metrics_);
    }
    thread_ = std::thread([this] { io_.run(); });
}

proto::RelayToken RelayTest::token(int64_t lifetime_s) const {
    return rendezvous::make_relay_token(rendezvous_, host_.public_key, viewer_.public_key,
                                        rendezvous::unix_now() + lifetime_s);
}

std::unique_ptr<TestPeer> RelayTest::present(const proto::RelayHello& hello) const {
    auto peer = std::make_unique<TestPeer>(address());
    peer->send_hello(hello);
    return peer;
}

std::unique_ptr<::tether::test::RawWebSocket> RelayTest::present_over_websocket(const proto::RelayHello& hello,
                                                                               const std::string& source) const {
    auto peer = std::make_unique<::tether::test::RawWebSocket>(websocket_address(),
                                                                ::tether::test::PeerOptions{.source = source});
    EXPECT_EQ(peer->upgrade("/relay"), "HTTP/1.1 101 Switching Protocols");
    proto::RendezvousMessage message;
    *message.mutable_relay_hello() = hello;
    peer->send_message(rendezvous::encode(message));
    return peer;
}

std::optional<proto::RelayAnswer> read_answer(::tether::test::RawWebSocket& peer) {
    const auto body = peer.receive_message(kPatience);
    if (!body) return std::nullopt;
    const auto message = rendezvous::decode(*body);
    if (!message || !message->has_relay_answer()) return std::nullopt;
    return message->relay_answer();
}

std::pair<std::unique_ptr<TestPeer>, std::unique_ptr<TestPeer>> RelayTest::paired_peers() {
    const auto t = token();
    auto host = present(host_hello(t));
    auto viewer = present(viewer_hello(t));
    for (TestPeer* peer : {host.get(), viewer.get()}) {
        const auto answer = peer->read_answer();
        EXPECT_TRUE(answer && answer->paired()) << (answer ? answer->refused() : "no answer");
    }
    return {std::move(host), std::move(viewer)};
}

std::vector<std::unique_ptr<TestPeer>> RelayTest::hold_unpaired(size_t count, const std::string& source) {
    std::vector<std::unique_ptr<TestPeer>> held;
    for (size_t i = 0; i < count; ++i) {
        const size_t before = relay_->unpaired();
        held.push_back(std::make_unique<TestPeer>(address(), source));
        EXPECT_TRUE(eventually([&] { return relay_->unpaired() == before + 1; }));
    }
    return held;
}

bool RelayTest::eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace tether::server::test
