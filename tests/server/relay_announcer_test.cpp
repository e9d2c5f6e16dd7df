// The relay's announcements reach the rendezvous server, authenticated and
// current, and come back after the connection drops.
#include "relay_test_peer.h"
#include "rendezvous/signatures.h"
#include "server/relay_announcer.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

namespace tether::server::test {
namespace {

// A stand-in for the rendezvous server: a loopback listener that hands over each connection.
class FakeRendezvous {
public:
    FakeRendezvous() {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof at;
        if (bind(fd_, reinterpret_cast<sockaddr*>(&at), size) != 0 || listen(fd_, 8) != 0 ||
            getsockname(fd_, reinterpret_cast<sockaddr*>(&at), &size) != 0)
            throw std::runtime_error("cannot listen on loopback");
        port_ = ntohs(at.sin_port);
    }
    ~FakeRendezvous() { close(fd_); }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    std::unique_ptr<TestPeer> accept_within(std::chrono::milliseconds patience = kPatience) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(patience.count())) != 1) return nullptr;
        const int connection = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        return connection < 0 ? nullptr : std::make_unique<TestPeer>(connection);
    }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
};

TEST(RelayAnnouncer, AnnouncesItsLoadAndComesBackAfterTheConnectionDrops) {
    FakeRendezvous rendezvous;
    const std::vector<uint8_t> secret(32, 9);
    std::atomic<size_t> sessions{3};
    boost::asio::io_context io;
    RelayAnnouncer announcer(io,
                             {.rendezvous = rendezvous.address(),
                              .public_addr = "198.51.100.7:21117",
                              .websocket_addr = "198.51.100.7:443",
                              .secret = secret,
                              .capacity = 500,
                              .period = std::chrono::milliseconds(50),
                              .first_retry = std::chrono::milliseconds(20)},
                             [&] { return sessions.load(); });
    auto work = boost::asio::make_work_guard(io);
    std::thread loop([&] { io.run(); });

    auto connection = rendezvous.accept_within();
    ASSERT_TRUE(connection);
    const auto first = connection->read_message();
    ASSERT_TRUE(first && first->has_relay_announce());
    const auto& a = first->relay_announce();
    EXPECT_EQ(a.addr(), "198.51.100.7:21117");
    EXPECT_EQ(a.websocket_addr(), "198.51.100.7:443");
    EXPECT_EQ(a.sessions(), 3u);
    EXPECT_EQ(a.capacity(), 500u);
    EXPECT_TRUE(rendezvous::check_relay_announce(secret, a));
    EXPECT_FALSE(rendezvous::check_relay_announce(std::vector<uint8_t>(32, 8), a));

    sessions = 7;
    bool saw_new_load = false;
    for (int i = 0; i < 200 && !saw_new_load; ++i) {
        const auto next = connection->read_message();
        ASSERT_TRUE(next && next->has_relay_announce()) << "announcements keep coming on one connection";
        saw_new_load = next->relay_announce().sessions() == 7;
    }
    EXPECT_TRUE(saw_new_load);

    connection.reset();  // the rendezvous server goes away; the relay dials again
    auto again = rendezvous.accept_within();
    ASSERT_TRUE(again);
    const auto after = again->read_message();
    ASSERT_TRUE(after && after->has_relay_announce());
    EXPECT_TRUE(rendezvous::check_relay_announce(secret, after->relay_announce()));

    boost::asio::post(io, [&] { announcer.stop(); });
    work.reset();
    loop.join();  // stop() leaves no work behind
    EXPECT_TRUE(again->closed_within());
}

TEST(RelayAnnouncer, RefusesARendezvousAddressWithoutAPort) {
    boost::asio::io_context io;
    RelayAnnouncerOptions options;
    options.rendezvous = "rendezvous.example.org";
    EXPECT_THROW(RelayAnnouncer(io, options, [] { return size_t{0}; }), std::invalid_argument);
}

}  // namespace
}  // namespace tether::server::test
