// Whatever strangers send, the server closes or drops it, counts why, and
// keeps serving everyone else.
#include "rendezvous/wire.h"
#include "rendezvous_fixture.h"
#include "server/refusal_reasons.h"

#include <boost/asio/ip/udp.hpp>

#include <random>

namespace tether::server::test {
namespace {

std::vector<uint8_t> frame_of(uint32_t length, std::vector<uint8_t> body) {
    const auto header = rendezvous::frame_header(length);
    body.insert(body.begin(), header.begin(), header.end());
    return body;
}

class HostileInputTest : public RendezvousTest {
protected:
    // The server still registers and finds a host.
    void expect_serving() {
        const auto host = security::fresh_identity();
        ProbeConnection control = register_online(host);
        EXPECT_EQ(look_up(host.peer_id, security::fresh_identity().public_key).body_case(), proto::LookupReply::kFound);
    }
    bool closed_after(const std::vector<uint8_t>& bytes) {
        ProbeConnection connection = connect();
        connection.send_bytes(bytes);
        return connection.closed_by_server();
    }
};

TEST_F(HostileInputTest, BadFramesAreClosedAndCounted) {
    start();
    EXPECT_TRUE(closed_after(frame_of(0xffff'ffff, {})));
    EXPECT_TRUE(closed_after(frame_of(rendezvous::kMaxMessage + 1, {})));
    EXPECT_EQ(metrics.refusals(refusal::kOversized), 2);
    EXPECT_TRUE(closed_after(frame_of(0, {})));
    EXPECT_TRUE(closed_after(frame_of(5, {0xff, 0xff, 0xff, 0xff, 0xff})));
    proto::RendezvousMessage heartbeat;
    heartbeat.mutable_heartbeat();
    EXPECT_TRUE(closed_after(rendezvous::encode_frame(heartbeat)));  // not a first frame
    EXPECT_EQ(metrics.refusals(refusal::kMalformed), 3);

    {  // a header promising more than ever comes, then a hang-up
        ProbeConnection truncated = connect();
        truncated.send_bytes(frame_of(100, {1, 2, 3}));
    }
    std::mt19937 random(7);
    for (int round = 0; round < 50; ++round) {
        std::vector<uint8_t> garbage(random() % 64 + 4);
        for (auto& byte : garbage) byte = static_cast<uint8_t>(random());
        garbage[2] = garbage[3] = 0;  // mostly lengths under 64 KiB, some under 1 KiB
        ProbeConnection connection = connect();
        connection.send_bytes(garbage);
    }
    expect_serving();
}

TEST_F(HostileInputTest, AHostSendingAnythingButHeartbeatsIsClosed) {
    start();
    const auto host = security::fresh_identity();
    ProbeConnection control = register_online(host);
    ASSERT_TRUE(control.send(register_request(host)));
    EXPECT_TRUE(control.closed_by_server());
    EXPECT_TRUE(eventually([&] { return server->peers_online() == 0; }));
}

TEST_F(HostileInputTest, ANewcomerSilentForTenSecondsIsClosed) {
    start();
    const auto since = std::chrono::steady_clock::now();
    ProbeConnection patient(server->address(), 20s);
    EXPECT_TRUE(patient.closed_by_server());
    EXPECT_GE(std::chrono::steady_clock::now() - since, 9s);
    EXPECT_GE(metrics.refusals(refusal::kTimeout), 1);
}

TEST_F(HostileInputTest, ConnectionsPastTheLimitAreClosedAtOnce) {
    auto o = options();
    o.max_connections = 2;
    start(o);
    ProbeConnection first = connect();
    ProbeConnection second = connect();
    ProbeConnection third = connect();
    EXPECT_TRUE(third.closed_by_server());
    EXPECT_EQ(metrics.refusals(refusal::kTooManyConnections), 1);
}

TEST_F(HostileInputTest, BadDatagramsAreDroppedAndCounted) {
    start();
    using boost::asio::ip::udp;
    boost::asio::io_context client_io;
    udp::socket socket(client_io, udp::endpoint(udp::v4(), 0));
    const auto port = static_cast<uint16_t>(std::stoi(server->address().substr(server->address().rfind(':') + 1)));
    const udp::endpoint to(boost::asio::ip::make_address("127.0.0.1"), port);
    socket.send_to(boost::asio::buffer(std::vector<uint8_t>(rendezvous::kMaxMessage + 500, 0x0a)), to);
    socket.send_to(boost::asio::buffer(std::vector<uint8_t>{0xff, 0x01, 0x02}), to);
    socket.send_to(boost::asio::buffer(std::vector<uint8_t>{}), to);
    proto::RendezvousMessage heartbeat;
    heartbeat.mutable_heartbeat();
    socket.send_to(boost::asio::buffer(rendezvous::encode(heartbeat)), to);
    EXPECT_TRUE(eventually([&] {
        return metrics.refusals(refusal::kOversized) == 1 && metrics.refusals(refusal::kMalformed) == 3;
    }));
    expect_serving();
}

}  // namespace
}  // namespace tether::server::test
