// connect_from (ABI 1.5): dialing from a listener's own port, and two peers
// dialing each other from their listening ports at once (a TCP simultaneous
// open, what opens a path through two port-preserving NATs).
#include "loopback.h"

#include <future>

namespace tether::test {
namespace {

uint16_t port_of(const std::string& address) {
    return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

// Both ends' messages arrive at the other. The inboxes outlive the connections.
void expect_talking(Connection& one, Inbox& at_one, Connection& other, Inbox& at_other) {
    at_one.collect_from(one);
    at_other.collect_from(other);
    one.send(buffer_of(pattern(1000, 1)));
    other.send(buffer_of(pattern(2000, 2)));
    ASSERT_TRUE(at_other.wait_for_messages(1));
    ASSERT_TRUE(at_one.wait_for_messages(1));
    EXPECT_EQ(at_other.messages().front(), pattern(1000, 1));
    EXPECT_EQ(at_one.messages().front(), pattern(2000, 2));
}

TEST_F(TcpTransportTest, DialsFromAListenersPortWhichStillAccepts) {
    ASSERT_TRUE(transport_->can_connect_from());
    Inbox at_dialed, at_accepted;
    AcceptQueue mine, theirs;
    const auto my_listener = listen_loopback(mine);
    const auto their_listener = listen_loopback(theirs);

    const auto dialed = transport_->connect_from(my_listener->address(), their_listener->address(), 0, 5s);
    const auto accepted = theirs.next();
    ASSERT_TRUE(accepted);
    EXPECT_EQ(theirs.last_peer(), my_listener->address()) << "the dial did not come from the listener's port";
    expect_talking(*dialed, at_dialed, *accepted, at_accepted);

    // The listener sharing its port still takes ordinary connections.
    const auto plain = transport_->connect(my_listener->address(), 5s);
    EXPECT_TRUE(mine.next());
}

TEST_F(TcpTransportTest, TwoPeersDialingEachOtherAtOnceMeetInOneConnection) {
    // Each side's port is held by a listener, as a host's and a viewer's are.
    Inbox at_a, at_b;
    AcceptQueue a_accepts, b_accepts;
    const auto a = listen_loopback(a_accepts);
    const auto b = listen_loopback(b_accepts);
    ASSERT_NE(port_of(a->address()), port_of(b->address()));

    // The small first TTL is what crosses NATs; on loopback it still arrives.
    // A dial that finds its 4-tuple taken lost to the other's, which its listener took.
    const auto dial = [&](const Listener& from, const Listener& to) -> std::unique_ptr<Connection> {
        try {
            return transport_->connect_from(from.address(), to.address(), 1, 5s);
        } catch (const PluginError& e) {
            EXPECT_NE(std::string(e.what()).find("Cannot assign requested address"), std::string::npos) << e.what();
            return nullptr;
        }
    };
    auto from_a = std::async(std::launch::async, [&] { return dial(*a, *b); });
    auto from_b = std::async(std::launch::async, [&] { return dial(*b, *a); });
    std::unique_ptr<Connection> a_end = from_a.get();
    std::unique_ptr<Connection> b_end = from_b.get();
    ASSERT_TRUE(a_end || b_end);
    if (a_end && b_end) {
        expect_talking(*a_end, at_a, *b_end, at_b);  // a simultaneous open: one connection, two dials
        return;
    }
    // One dial reached the other's listener before that side dialed.
    AcceptQueue& took = a_end ? b_accepts : a_accepts;
    const auto accepted = took.next();
    ASSERT_TRUE(accepted);
    EXPECT_EQ(took.last_peer(), a_end ? a->address() : b->address());
    expect_talking(a_end ? *a_end : *b_end, at_a, *accepted, at_b);
}

TEST_F(TcpTransportTest, DialingFromAPortHeldByAnotherProgramFailsWithTheReason) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor other(io, {boost::asio::ip::address_v4::loopback(), 0});  // no SO_REUSEPORT
    const std::string taken = "127.0.0.1:" + std::to_string(other.local_endpoint().port());
    AcceptQueue theirs;
    const auto their_listener = listen_loopback(theirs);
    try {
        transport_->connect_from(taken, their_listener->address(), 0, 2s);
        FAIL() << "dialed from a port another socket holds without sharing";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot dial from 127.0.0.1:"), std::string::npos) << e.what();
    }
}

TEST_F(TcpTransportTest, ASharedListeningPortIsStillRefusedToASecondListener) {
    AcceptQueue first, second;
    const auto listener = listen_loopback(first);
    try {
        transport_->listen(listener->address(), second.accept_fn());
        FAIL() << "a second listener took " << listener->address();
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("Address already in use"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::test
