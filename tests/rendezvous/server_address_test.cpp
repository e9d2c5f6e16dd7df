// How users write a rendezvous server: what is taken, with the defaults
// filled in, and what is refused at once with what is wrong, before any dial.
#include "rendezvous/server_address.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace tether::rendezvous {
namespace {

// The error parse_server_address gives for `text`, or "" when it takes it.
std::string refusal_of(const std::string& text) {
    try {
        parse_server_address(text);
        return "";
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

TEST(ServerAddress, TcpAndWebSocketAddressesGetTheirDefaults) {
    EXPECT_EQ(parse_server_address("example.org").text, "example.org:21116");
    EXPECT_EQ(parse_server_address("[::1]").host_port, "[::1]:21116");
    const ServerAddress ws = parse_server_address("ws://example.org");
    EXPECT_EQ(ws.text, "ws://example.org:21119/rendezvous");
    EXPECT_TRUE(ws.websocket());
    EXPECT_EQ(parse_server_address("ws://[::1]:443/r").path, "/r");
}

TEST(ServerAddress, MalformedAddressesAreRefusedSayingWhy) {
    EXPECT_NE(refusal_of("ws://:80").find("no host"), std::string::npos);
    EXPECT_NE(refusal_of("ws://example.org:99999").find("port is not a number"), std::string::npos);
    EXPECT_NE(refusal_of("ws://example.org:x/relay").find("port is not a number"), std::string::npos);
    EXPECT_NE(refusal_of("ws://[::1").find("unbalanced brackets"), std::string::npos);
    EXPECT_NE(refusal_of("example.org:").find("port is not a number"), std::string::npos);
    EXPECT_NE(refusal_of("ws://127.0.0.1:0/x").find("port 0 cannot be dialed"), std::string::npos);
    EXPECT_NE(refusal_of("ws://").find("expected ws://HOST"), std::string::npos);
    EXPECT_NE(refusal_of("http://example.org").find("expected HOST[:PORT] or ws://"), std::string::npos);
    EXPECT_NE(refusal_of("wss://example.org").find("Tether speaks ws://"), std::string::npos);
}

}  // namespace
}  // namespace tether::rendezvous
