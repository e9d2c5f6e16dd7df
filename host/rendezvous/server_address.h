// Where a rendezvous server is, as users write it: "host[:port]" over TCP
// (port 21116 when left out), or "ws://host[:port][/path]" over WebSocket
// (port 21119 and /rendezvous when left out), for networks that let out
// only web ports. The relay a WebSocket peer is sent to is reached the same way.
#pragma once

#include <cstdint>
#include <string>

namespace tether::rendezvous {

constexpr uint16_t kDefaultWebSocketPort = 21119;

struct ServerAddress {
    std::string text;       // with the defaults filled in: what is shown, and what a pinned key is kept under
    std::string host_port;  // "host:port", an IPv6 address in brackets
    std::string path;       // over WebSocket, the path ("/rendezvous"); over TCP, empty

    bool websocket() const { return !path.empty(); }
};

// Throws std::invalid_argument naming the text when a WebSocket address is not ws://HOST[:PORT][/PATH].
ServerAddress parse_server_address(const std::string& text);

// Where transport-websocket dials the relay a server named in Found or
// Incoming `relay_websocket`: "host:port/relay" as it is, "/relay" on the
// server's own WebSocket address. Empty when there is none, or when the
// server was not reached over WebSocket.
std::string relay_websocket_address(const ServerAddress& server, const std::string& relay_websocket);

}  // namespace tether::rendezvous
