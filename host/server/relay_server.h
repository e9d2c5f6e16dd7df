// The relay (docs/rendezvous.md, Relay): pairs two connections that present
// the same rendezvous-signed token within pair_timeout, one as the host and
// one as the viewer, answers both RelayAnswer{paired}, then copies bytes
// between them: untouched between two TCP peers, frame by frame where one
// came over WebSocket (from the gateway, websocket_gateway.h), so each sees
// its own transport's framing. Runs on the caller's io_context (one event
// loop, no thread per connection). It ignores SIGPIPE for the process:
// splice(2) into a socket cannot ask for MSG_NOSIGNAL.
#pragma once

#include "security/identity.h"
#include "server_metrics.h"
#include "upgraded_socket.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace tether::server {

struct RelayOptions {
    std::string listen = "0.0.0.0:21117";
    security::PublicKey rendezvous_key{};  // tokens must be signed by it
    std::chrono::milliseconds pair_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    size_t max_unpaired = 1024;
    size_t max_unpaired_per_source = 16;
    size_t max_sessions = 100'000;
    uint64_t session_bytes_per_s = 0;  // each direction of one session; 0: no cap
    uint64_t total_bytes_per_s = 0;    // all sessions together; 0: no cap
    bool splice = true;                // splice(2) through a pipe instead of a userspace buffer
};

class RelayServer {
public:
    // Binds at once; throws std::runtime_error naming the address when it cannot.
    RelayServer(boost::asio::io_context& io, RelayOptions options, ServerMetrics& metrics);
    ~RelayServer();
    RelayServer(const RelayServer&) = delete;
    RelayServer& operator=(const RelayServer&) = delete;

    std::string address() const;  // bound, "ip:port"
    // [thread-safe] A WebSocket peer of the /relay path, held to the same
    // limits as one of the TCP port; dropped when the relay has stopped.
    void adopt_websocket(UpgradedSocket socket);
    size_t sessions() const;      // paired now
    size_t unpaired() const;
    // Stops accepting and closes every connection; on the io_context's thread or before it runs.
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace tether::server
