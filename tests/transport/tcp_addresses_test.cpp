// Addresses the tcp transport takes and reports, and how connect fails.
#include "loopback.h"

#include <boost/asio/io_context.hpp>

#include <sys/socket.h>
#include <unistd.h>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

TEST_F(TcpTransportTest, ListenOnPortZeroReportsTheRealPortAndThePeer) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    const std::string& address = listener->address();
    ASSERT_TRUE(address.starts_with("127.0.0.1:")) << address;
    const tcp::endpoint bound = endpoint_of(address);
    EXPECT_NE(bound.port(), 0);

    boost::asio::io_context io;
    tcp::socket raw(io);
    raw.connect(bound);
    ASSERT_TRUE(accepted.next());
    EXPECT_EQ(accepted.last_peer(), "127.0.0.1:" + std::to_string(raw.local_endpoint().port()));
}

TEST_F(TcpTransportTest, ListensAndConnectsOverIPv6Loopback) {
    {
        boost::asio::io_context io;
        tcp::acceptor probe(io);
        boost::system::error_code ec;
        probe.open(tcp::v6(), ec);
        if (!ec) probe.bind({boost::asio::ip::address_v6::loopback(), 0}, ec);
        if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
    }
    Inbox at_server;
    AcceptQueue accepted;
    const auto listener = transport_->listen("[::1]:0", accepted.accept_fn());
    ASSERT_TRUE(listener->address().starts_with("[::1]:")) << listener->address();

    const auto client = transport_->connect(listener->address(), 2s);
    const auto server = accepted.next();
    ASSERT_TRUE(server);
    EXPECT_TRUE(accepted.last_peer().starts_with("[::1]:")) << accepted.last_peer();
    at_server.collect_from(*server);
    client->send(buffer_of({6}));
    ASSERT_TRUE(at_server.wait_for_messages(1));
    EXPECT_EQ(at_server.messages().front(), Bytes{6});
}

TEST_F(TcpTransportTest, BadAddressesAreRejectedWithAReason) {
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1", "missing port"},
        {"127.0.0.1:", "missing port"},
        {"127.0.0.1:http", "port must be a number"},
        {"127.0.0.1:70000", "port must be a number"},
        {"127.0.0.1:-1", "port must be a number"},
        {"::1:80", "needs brackets"},
        {"[::1:80", "missing ']'"},
        {"[::1]80", "missing port"},
        {":80", "missing host"},
    };
    for (const auto& [address, reason] : cases) {
        const std::string error = connect_error(*transport_, address);
        EXPECT_NE(error.find(reason), std::string::npos) << address << " -> " << error;
    }
    AcceptQueue accepted;
    try {
        transport_->listen("127.0.0.1:port", accepted.accept_fn());
        FAIL() << "listen took a bad port";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("port must be a number"), std::string::npos) << e.what();
    }
}

TEST_F(TcpTransportTest, ConnectToAClosedPortFailsFast) {
    std::string address;
    {
        boost::asio::io_context io;
        tcp::acceptor taken(io, {boost::asio::ip::address_v4::loopback(), 0});
        address = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
    }  // closed again: nobody listens there now
    const auto began = std::chrono::steady_clock::now();
    const std::string error = connect_error(*transport_, address, 5s);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 1s);
    EXPECT_NE(error.find("Connection refused"), std::string::npos) << error;
}

TEST_F(TcpTransportTest, ConnectGivesUpAtItsTimeout) {
    // A listener with a backlog of 0 and one connection waiting to be
    // accepted: Linux drops further SYNs, so a connect there hangs.
    const int full = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(full, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof any;
    ASSERT_EQ(::bind(full, reinterpret_cast<sockaddr*>(&any), sizeof any), 0);
    ASSERT_EQ(::listen(full, 0), 0);
    ASSERT_EQ(::getsockname(full, reinterpret_cast<sockaddr*>(&any), &length), 0);
    const std::string address = "127.0.0.1:" + std::to_string(ntohs(any.sin_port));
    boost::asio::io_context io;
    tcp::socket waiting(io);
    waiting.connect(endpoint_of(address));

    const auto began = std::chrono::steady_clock::now();
    const std::string error = connect_error(*transport_, address, 300ms);
    const auto took = std::chrono::steady_clock::now() - began;
    ::close(full);
    EXPECT_NE(error.find("timed out after 300 ms"), std::string::npos) << error;
    EXPECT_GE(took, 290ms);
    EXPECT_LT(took, 2s);
}

}  // namespace
}  // namespace tether::test
