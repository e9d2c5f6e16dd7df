// The rendezvous server (docs/rendezvous.md): hosts register over a TCP
// control connection (challenge, proof, heartbeats) and hear about incoming
// viewers on it; viewers look IDs up over TCP and get the host's addresses,
// the server's voucher for its key and a relay token; UDP on the same port
// keeps registrations' public UDP mappings without ever answering an
// unverified source with more bytes than it sent. The same conversations
// come over WebSocket from the gateway's /rendezvous path, held to the same
// limits. Runs on the caller's io_context, which one thread runs; destroy
// the server on that thread or once it no longer runs.
#pragma once

#include "rendezvous/peer_registry.h"
#include "security/identity.h"
#include "server_metrics.h"
#include "upgraded_socket.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tether::server {

struct RendezvousOptions {
    std::string listen = "0.0.0.0:21116";  // TCP and UDP
    // UDP, answering Bindings only: a second address to ask from one socket
    // tells a NAT that maps a port per destination (docs/connectivity.md).
    // Empty: none (`tether serve` takes server.nat_test_listen, 0.0.0.0:21115).
    std::string nat_test_listen;
    std::filesystem::path registry_file;   // SQLite, created when missing
    // Relays to assign. ":PORT" means this machine at the address the peer
    // reached the rendezvous server on: the relay beside it in `tether serve`.
    std::vector<std::string> relays;
    // The relay on this machine (":PORT") also serves /relay on this server's WebSocket port.
    bool websocket_relay = false;
    std::vector<uint8_t> relay_secret;  // authenticates RelayAnnounce; empty: announcements refused
    std::chrono::seconds heartbeat{5};  // what hosts are told; three missed and a host is offline
    std::chrono::seconds voucher_lifetime{3600};
    std::chrono::seconds token_lifetime{30};
    double registrations_per_s = 1, registration_burst = 20;  // per source address
    double lookups_per_s = 10, lookup_burst = 20;             // per source address
    size_t max_connections = 65'536;                          // control connections and lookups together
};

class RendezvousServer {
public:
    // Opens the registry and binds at once; throws std::runtime_error naming what failed.
    RendezvousServer(boost::asio::io_context& io, const security::Identity& server_key, RendezvousOptions options,
                     ServerMetrics& metrics);
    ~RendezvousServer();
    RendezvousServer(const RendezvousServer&) = delete;
    RendezvousServer& operator=(const RendezvousServer&) = delete;

    std::string address() const;  // bound TCP, "ip:port"; UDP is on the same port
    uint16_t nat_test_port() const;  // bound; 0 when there is none
    // [thread-safe] A WebSocket peer of the /rendezvous path, held to the
    // same limits as one of the TCP port; dropped when the server has stopped.
    void adopt_websocket(UpgradedSocket socket);
    size_t peers_online() const;
    // Closes every connection and the UDP socket: at once on the io_context's
    // thread, from another thread as soon as the io_context gets to it.
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace tether::server
