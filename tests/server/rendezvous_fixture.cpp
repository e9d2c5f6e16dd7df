#include "rendezvous_fixture.h"

namespace tether::server::test {

RendezvousTest::~RendezvousTest() { stop(); }

RendezvousOptions RendezvousTest::options() const {
    RendezvousOptions o;
    o.listen = "127.0.0.1:0";
    o.registry_file = dir.path() / "rendezvous.db";
    return o;
}

void RendezvousTest::start(RendezvousOptions o, bool websocket) {
    io = std::make_unique<boost::asio::io_context>();
    server = std::make_unique<RendezvousServer>(*io, server_key, std::move(o), metrics);
    if (websocket)
        gateway = std::make_unique<WebSocketGateway>(
            *io, WebSocketGatewayOptions{.listen = "127.0.0.1:0"},
            WebSocketGateway::Routes{{"/rendezvous", [this](UpgradedSocket s) { server->adopt_websocket(std::move(s)); }}},
            metrics);
    thread = std::thread([this] { io->run(); });
}

void RendezvousTest::stop() {
    if (!server) return;
    if (gateway) gateway->stop();
    server->stop();
    thread.join();
    gateway.reset();
    server.reset();
    io.reset();
}

ProbeConnection RendezvousTest::connect(const std::string& source) const {
    return ProbeConnection(server->address(), 5s, source);
}

ProbeConnection RendezvousTest::register_online(const security::Identity& host, uint32_t listen_port,
                                                const std::vector<std::string>& lan_addrs) {
    ProbeConnection connection = connect();
    const auto answer = register_host(connection, register_request(host, listen_port, lan_addrs), host);
    EXPECT_TRUE(answer && answer->has_registered()) << (answer ? answer->DebugString() : "no answer");
    return connection;
}

proto::LookupReply RendezvousTest::look_up(const std::string& id, const security::PublicKey& viewer_key,
                                           uint32_t listen_port, const std::vector<std::string>& viewer_addrs) {
    ProbeConnection viewer = connect();
    EXPECT_TRUE(viewer.send(lookup_request(id, viewer_key, listen_port, viewer_addrs)));
    const auto reply = viewer.receive();
    EXPECT_TRUE(reply && reply->has_lookup_reply());
    EXPECT_TRUE(viewer.closed_by_server());
    return reply ? reply->lookup_reply() : proto::LookupReply();
}

}  // namespace tether::server::test
