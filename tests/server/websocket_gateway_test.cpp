// The WebSocket port before a connection belongs to a server: what is not an
// upgrade to a path served is answered and closed, a request that never
// ends is cut off, upgrades under way are capped, and each is counted.
#include "relay_fixture.h"

#include <string_view>

namespace tether::server::test {
namespace {

using ::tether::test::RawWebSocket;
using Bytes = std::vector<uint8_t>;

Bytes as_bytes(std::string_view text) { return {text.begin(), text.end()}; }

class WebSocketGatewayTest : public RelayTest {
protected:
    void start_gateway(WebSocketGatewayOptions options = {}) { start({}, options); }
    std::string status_for(std::string_view request) {
        RawWebSocket peer(websocket_address());
        peer.send_bytes(as_bytes(request));
        return peer.read_status(kPatience);
    }
};

TEST_F(WebSocketGatewayTest, WhatIsNotAnUpgradeToAPathServedIsAnsweredAndCounted) {
    start_gateway();
    EXPECT_EQ(status_for(::tether::test::upgrade_request("/elsewhere")), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(status_for("GET /relay HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 426 Upgrade Required");
    EXPECT_EQ(status_for("\x16\x03\x01\x02 a TLS hello, say\r\n\r\n"), "HTTP/1.1 400 Bad Request");
    std::string old_version = ::tether::test::upgrade_request("/relay");
    old_version.replace(old_version.find("Version: 13"), 11, "Version: 8");
    EXPECT_EQ(status_for(old_version), "HTTP/1.1 426 Upgrade Required");
    std::string no_key = ::tether::test::upgrade_request("/relay");
    no_key.replace(no_key.find("dGhlIHNhbXBsZSBub25jZQ=="), 24, "short");
    EXPECT_EQ(status_for(no_key), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(metrics_.refusals("unknown path"), 1);
    EXPECT_EQ(metrics_.refusals("bad upgrade"), 4);
    EXPECT_EQ(relay_->unpaired(), 0u) << "nothing reached the relay";
}

TEST_F(WebSocketGatewayTest, BytesBeforeTheAnswerAndOversizedRequestsAreRefused) {
    start_gateway();
    std::string eager = ::tether::test::upgrade_request("/relay");
    eager += "\x82\x81\x00\x00\x00\x00\x01";  // a frame before the 101
    EXPECT_EQ(status_for(eager), "HTTP/1.1 400 Bad Request");
    const std::string large = "GET /relay HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(8000, 'a') + "\r\n\r\n";
    EXPECT_NE(status_for(large).find(" 4"), std::string::npos);
    EXPECT_EQ(metrics_.refusals("bad upgrade"), 2);
}

TEST_F(WebSocketGatewayTest, ARequestThatNeverEndsIsCutOffAtTheUpgradeTimeout) {
    WebSocketGatewayOptions options;
    options.upgrade_timeout = std::chrono::milliseconds(300);
    start_gateway(options);
    RawWebSocket slow(websocket_address());
    slow.send_bytes(as_bytes("GET /relay HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    EXPECT_TRUE(slow.wait_closed(kPatience));
    EXPECT_EQ(metrics_.refusals("upgrade timeout"), 1);
    EXPECT_TRUE(eventually([&] { return gateway_->upgrading() == 0 && metrics_.websocket_upgrading.Value() == 0; }));
}

TEST_F(WebSocketGatewayTest, UpgradesUnderWayAreCappedPerSourceAndInAll) {
    WebSocketGatewayOptions options;
    options.max_upgrading_per_source = 2;
    options.max_upgrading = 3;
    start_gateway(options);
    std::vector<std::unique_ptr<RawWebSocket>> silent;
    const auto hold = [&](const std::string& source) {
        silent.push_back(std::make_unique<RawWebSocket>(websocket_address(), ::tether::test::PeerOptions{.source = source}));
        const size_t held = silent.size();
        EXPECT_TRUE(eventually([&] { return gateway_->upgrading() == held; }));
    };
    hold("127.0.0.4");
    hold("127.0.0.4");
    RawWebSocket third_from_source(websocket_address(), {.source = "127.0.0.4"});
    EXPECT_TRUE(third_from_source.wait_closed(kPatience));
    hold("127.0.0.5");
    // Full: the oldest upgrade under way makes way for a newcomer from elsewhere.
    RawWebSocket over_all(websocket_address(), {.source = "127.0.0.6"});
    EXPECT_TRUE(silent.front()->wait_closed(kPatience));
    EXPECT_EQ(over_all.upgrade("/relay"), "HTTP/1.1 101 Switching Protocols");
    EXPECT_EQ(metrics_.refusals("too many connections"), 2);
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 1; }));
    // An upgrade that is answered leaves the count.
    silent.clear();
    EXPECT_TRUE(eventually([&] { return gateway_->upgrading() == 0; }));
    RawWebSocket fine(websocket_address(), {.source = "127.0.0.4"});
    EXPECT_EQ(fine.upgrade("/relay"), "HTTP/1.1 101 Switching Protocols");
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 2; }));
    EXPECT_EQ(metrics_.websocket_upgrades.Value(), 2);
}

}  // namespace
}  // namespace tether::server::test
