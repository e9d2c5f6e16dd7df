// Ports and punching on loopback: both sides punch at once, in two threads,
// as two hosts behind NATs would after the rendezvous server told them of
// each other. Loopback has no NAT, so a peer whose packets a NAT would drop
// is played by a plan that names a socket that never answers.
#include "udp_fixture.h"

#include <future>

namespace tether::test {
namespace {

// Both ends of a punched connection, and what each delivers (the inboxes
// outlive the connections, which report their end to them).
struct Punched {
    Inbox at_acceptor;
    Inbox at_dialer;
    std::unique_ptr<Connection> acceptor;
    std::unique_ptr<Connection> dialer;
};

void punch_both(Punched& punched, Port& acceptor_port, const PunchPlan& acceptor_plan, Port& dialer_port,
                const PunchPlan& dialer_plan) {
    auto acceptor = std::async(std::launch::async, [&] { return acceptor_port.punch(acceptor_plan); });
    auto dialer = std::async(std::launch::async, [&] { return dialer_port.punch(dialer_plan); });
    punched.dialer = dialer.get();
    punched.acceptor = acceptor.get();
}

void expect_messages_both_ways(Punched& punched) {
    ASSERT_TRUE(punched.acceptor);
    ASSERT_TRUE(punched.dialer);
    punched.at_acceptor.collect_channels_from(*punched.acceptor);
    punched.at_dialer.collect_channels_from(*punched.dialer);
    punched.dialer->send(buffer_of(pattern(5000, 1)));
    punched.acceptor->send_on(1, TETHER_SEND_UNRELIABLE, buffer_of(pattern(700, 3)));
    punched.acceptor->send(buffer_of(pattern(70'000, 2)));
    ASSERT_TRUE(punched.at_acceptor.wait_for_messages(1));
    EXPECT_EQ(punched.at_acceptor.messages()[0], pattern(5000, 1));
    // The unreliable one may be lost, and the reliable one need not wait for it: they are on two channels.
    for (auto deadline = std::chrono::steady_clock::now() + 20s;
         std::ranges::none_of(punched.at_dialer.received(), [](const Received& r) { return r.channel == 0; });) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the reliable message did not arrive";
        std::this_thread::sleep_for(5ms);
    }
    for (const Received& got : punched.at_dialer.received())
        EXPECT_EQ(got.bytes, got.channel == 0 ? pattern(70'000, 2) : pattern(700, 3));
}

class UdpPunchTest : public UdpTransportTest {
protected:
    std::unique_ptr<Port> open(const std::string& bind = "127.0.0.1:0") { return transport_->open_port(bind, {}); }
};

TEST_F(UdpPunchTest, TheTransportPunches) {
    EXPECT_TRUE(transport_->supports_punch());
    const uint32_t flags = transport_->vtable().flags;
    EXPECT_EQ(flags & TETHER_TRANSPORT_PUNCH, uint32_t{TETHER_TRANSPORT_PUNCH});
    EXPECT_EQ(flags & TETHER_TRANSPORT_NAT_TRAVERSAL, uint32_t{TETHER_TRANSPORT_NAT_TRAVERSAL});
}

TEST_F(UdpPunchTest, DirectPunchBetweenTwoPorts) {
    const auto host = open();
    const auto viewer = open();
    const Bytes token = token_of(1);
    Punched punched;
    punch_both(punched, *host, plan_for(viewer->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_ACCEPTOR, token), *viewer,
               plan_for(host->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, token));
    expect_messages_both_ways(punched);
}

// A side that hears the peer from another address than its plan named
// answers there, and that path carries the connection, whichever side was wrong.
TEST_F(UdpPunchTest, ThePathThatAnswersWinsOverThePlannedAddress) {
    const RawUdp nowhere;
    for (const bool acceptor_wrong : {true, false}) {
        const auto host = open();
        const auto viewer = open();
        const Bytes token = token_of(2);
        Punched punched;
        punch_both(
            punched, *host, plan_for(acceptor_wrong ? nowhere.address() : viewer->address(), TETHER_PUNCH_DIRECT,
                            TETHER_PUNCH_ACCEPTOR, token),
            *viewer, plan_for(acceptor_wrong ? host->address() : nowhere.address(), TETHER_PUNCH_DIRECT,
                              TETHER_PUNCH_DIALER, token));
        expect_messages_both_ways(punched);
    }
}

// The hard side opens many sockets, whose packets toward the easy side are
// lost (its plan names a socket that never answers, as a first_ttl packet dies
// on the way); the easy side probes every port of the hard side's own
// loopback address until one of them answers. The ports are on addresses of
// their own in 127/8, so the probes find no other program's sockets.
class ProbingTest : public UdpPunchTest {
protected:
    void punch_through_many_sockets(bool hard_side_dials) {
        const RawUdp nowhere("127.77.0.1");
        const auto easy = open("127.77.0.1:0");
        const auto hard = open("127.77.0.2:0");
        constexpr uint32_t kSockets = 64;
        const Bytes token = random_token();  // other runs may probe the same address at once
        auto hard_plan = plan_for(nowhere.address(), TETHER_PUNCH_OPEN_SOCKETS,
                                  hard_side_dials ? TETHER_PUNCH_DIALER : TETHER_PUNCH_ACCEPTOR, token, 60s);
        hard_plan.sockets = kSockets;
        auto easy_plan = plan_for("127.77.0.2:1", TETHER_PUNCH_PROBE_PORTS,
                                  hard_side_dials ? TETHER_PUNCH_ACCEPTOR : TETHER_PUNCH_DIALER, token, 60s);
        easy_plan.probes = 65535;  // every port: one of the sockets is certainly among them
        easy_plan.probes_per_second = 50'000;

        const size_t before = open_descriptors();
        auto hard_done = std::async(std::launch::async, [&] { return hard->punch(hard_plan); });
        // The probing starts once every socket is open, so that none is passed over.
        for (auto deadline = std::chrono::steady_clock::now() + 20s; open_descriptors() < before + kSockets;) {
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the sockets did not open";
            std::this_thread::sleep_for(5ms);
        }
        Punched punched;
        if (hard_side_dials) {
            punched.acceptor = easy->punch(easy_plan);
            punched.dialer = hard_done.get();
        } else {
            punched.dialer = easy->punch(easy_plan);
            punched.acceptor = hard_done.get();
        }
        // Of the sockets, only the one that won is still open: it carries the connection.
        EXPECT_EQ(open_descriptors(), before + 1);
        expect_messages_both_ways(punched);
    }
};

TEST_F(ProbingTest, ProbingPortsFindsOneOfTheSocketsAnAcceptorOpened) { punch_through_many_sockets(false); }

TEST_F(ProbingTest, ProbingPortsFindsOneOfTheSocketsADialerOpened) { punch_through_many_sockets(true); }

TEST_F(UdpPunchTest, APunchToASilentPeerTimesOutAndClosesItsSockets) {
    const RawUdp silent;
    const auto port = open();
    for (const uint32_t method : {TETHER_PUNCH_DIRECT, TETHER_PUNCH_PROBE_PORTS, TETHER_PUNCH_OPEN_SOCKETS}) {
        const size_t before = open_descriptors();
        auto plan = plan_for(silent.address(), method, TETHER_PUNCH_DIALER, token_of(4), 300ms);
        plan.sockets = 128;
        plan.probes = 10;
        try {
            port->punch(plan);
            FAIL() << "punched a path to a peer that never answers";
        } catch (const PluginError& e) {
            EXPECT_NE(std::string(e.what()).find("punch timed out after 300 ms: nothing came from the peer"),
                      std::string::npos)
                << e.what();
        }
        EXPECT_EQ(open_descriptors(), before) << "method " << method;
    }
}

TEST_F(UdpPunchTest, ClosingThePortEndsAPunchInProgress) {
    const RawUdp silent;
    auto port = open();
    auto plan = plan_for(silent.address(), TETHER_PUNCH_OPEN_SOCKETS, TETHER_PUNCH_ACCEPTOR, token_of(5), 120s);
    plan.sockets = 32;
    const size_t before = open_descriptors();
    auto punching = std::async(std::launch::async, [&] { return port->punch(plan); });
    for (auto deadline = std::chrono::steady_clock::now() + 20s; open_descriptors() < before + 32;) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the punch did not start";
        std::this_thread::sleep_for(5ms);
    }
    port->close();
    // Well before its own two minutes.
    ASSERT_EQ(punching.wait_for(20s), std::future_status::ready);
    try {
        punching.get();
        FAIL() << "a punch on a closed port succeeded";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("port closed"), std::string::npos) << e.what();
    }
    EXPECT_THROW(port->punch(plan), PluginError);
    EXPECT_EQ(open_descriptors(), before - 1);  // the port's own socket went too
}

// The host's registered port serves every viewer: punches with different
// tokens run on it at once and each gets its own connection.
TEST_F(UdpPunchTest, SeveralPunchesShareOnePort) {
    const auto host = open();
    const auto viewer_a = open();
    const auto viewer_b = open();
    const Bytes token_a = token_of(6);
    const Bytes token_b = token_of(7);
    auto host_a = std::async(std::launch::async, [&] {
        return host->punch(plan_for(viewer_a->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_ACCEPTOR, token_a));
    });
    auto host_b = std::async(std::launch::async, [&] {
        return host->punch(plan_for(viewer_b->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_ACCEPTOR, token_b));
    });
    auto a = std::async(std::launch::async, [&] {
        return viewer_a->punch(plan_for(host->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, token_a));
    });
    auto b = std::async(std::launch::async, [&] {
        return viewer_b->punch(plan_for(host->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, token_b));
    });
    Punched first;
    first.acceptor = host_a.get();
    first.dialer = a.get();
    Punched second;
    second.acceptor = host_b.get();
    second.dialer = b.get();
    expect_messages_both_ways(first);
    expect_messages_both_ways(second);
}

TEST_F(UdpPunchTest, APortCarriesTheHostsOwnDatagramsBothWays) {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<std::pair<std::string, Bytes>> datagrams;
    const auto port = transport_->open_port("127.0.0.1:0", [&](const std::string& from, std::span<const uint8_t> bytes) {
        std::lock_guard lock(mutex);
        datagrams.emplace_back(from, Bytes(bytes.begin(), bytes.end()));
        arrived.notify_all();
    });
    const RawUdp server;
    port->send(server.address(), pattern(300, 1));
    const auto got = server.receive(10s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->bytes, pattern(300, 1));
    EXPECT_EQ(got->from, port->address());

    server.send_to(port->address(), pattern(200, 2));
    std::unique_lock lock(mutex);
    ASSERT_TRUE(arrived.wait_for(lock, 10s, [&] { return !datagrams.empty(); }));
    EXPECT_EQ(datagrams[0].first, server.address());
    EXPECT_EQ(datagrams[0].second, pattern(200, 2));
}

TEST_F(UdpPunchTest, PlansItCannotFollowAreRefused) {
    const auto port = open();
    auto short_token = plan_for("127.0.0.1:9", TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, Bytes(8, 1));
    EXPECT_THROW(port->punch(short_token), PluginError);
    auto unknown_method = plan_for("127.0.0.1:9", 7, TETHER_PUNCH_DIALER, token_of(8));
    EXPECT_THROW(port->punch(unknown_method), PluginError);
    auto no_port = plan_for("127.0.0.1:0", TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, token_of(8));
    EXPECT_THROW(port->punch(no_port), PluginError);
}

}  // namespace
}  // namespace tether::test
