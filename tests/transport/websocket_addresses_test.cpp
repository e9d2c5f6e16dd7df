// The addresses the WebSocket transport takes (a scheme, a path), and how
// connect fails.
#include "loopback.h"

#include <boost/asio/io_context.hpp>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

TEST_F(WebSocketTransportTest, AddressesTakeTheSchemeAndAPath) {
    AcceptQueue accepted;
    const auto listener = transport_->listen("ws://127.0.0.1:0/session", accepted.accept_fn());
    ASSERT_TRUE(listener->address().starts_with("127.0.0.1:")) << listener->address();
    EXPECT_TRUE(transport_->connect("ws://" + listener->address() + "/session", 2s));
    EXPECT_TRUE(accepted.next());
    // Another path is answered 404 and never reaches the host.
    const std::string error = connect_error(*transport_, listener->address() + "/elsewhere");
    EXPECT_NE(error.find("declined the WebSocket upgrade: 404"), std::string::npos) << error;
    EXPECT_EQ(accepted.next(100ms), nullptr);
}

TEST_F(WebSocketTransportTest, BadAddressesAreRejectedWithAReason) {
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1", "missing port"},
        {"127.0.0.1:http", "port must be a number"},
        {"::1:80", "needs brackets"},
        {":80", "missing host"},
        {"127.0.0.1:80/a path", "visible ASCII"},
        {"127.0.0.1:80/a\r\nX: y", "visible ASCII"},
    };
    for (const auto& [address, reason] : cases) {
        const std::string error = connect_error(*transport_, address);
        EXPECT_NE(error.find(reason), std::string::npos) << address << " -> " << error;
    }
}

TEST_F(WebSocketTransportTest, ConnectToAPlainTcpServerFailsWithinItsTimeout) {
    // A TCP listener that never answers the upgrade.
    boost::asio::io_context io;
    tcp::acceptor silent(io, {boost::asio::ip::address_v4::loopback(), 0});
    const auto began = std::chrono::steady_clock::now();
    const std::string error = connect_error(*transport_, "127.0.0.1:" + std::to_string(silent.local_endpoint().port()), 500ms);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
    EXPECT_NE(error, "connected");
}

}  // namespace
}  // namespace tether::test
