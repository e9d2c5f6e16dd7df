// A host's standing with its rendezvous server: a control connection (TCP,
// or WebSocket for a ws:// server) that registers (proving the identity
// key), sends heartbeats, hears of incoming viewers, and is made again
// whenever it fails — a server restart or a network loss — within a few
// seconds of the server being reachable again.
#pragma once

#include "rendezvous.pb.h"
#include "security/identity.h"
#include "server_address.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace tether::rendezvous {

struct RegistrationOptions {
    ServerAddress server;
    std::vector<std::string> lan_addrs;  // where the host listens in its own networks
    uint32_t listen_port = 0;            // for its public address; 0: it cannot be dialed
    std::chrono::milliseconds first_retry{500};
    std::chrono::milliseconds max_retry{3000};
};

class HostRegistration {
public:
    using RegisteredFn = std::function<void(const proto::Registered&)>;  // each (re)registration
    using IncomingFn = std::function<void(const proto::Incoming&)>;
    using TroubleFn = std::function<void(const std::string& why)>;       // once per lost or refused registration

    // Starts at once on a thread of its own; the callbacks run there and must not block long.
    HostRegistration(const security::Identity& identity, RegistrationOptions options, RegisteredFn on_registered,
                     IncomingFn on_incoming, TroubleFn on_trouble);
    ~HostRegistration();
    HostRegistration(const HostRegistration&) = delete;
    HostRegistration& operator=(const HostRegistration&) = delete;

private:
    boost::asio::awaitable<void> keep_registered();
    boost::asio::awaitable<void> serve_one_connection();  // returns or throws when it ends

    const security::Identity& identity_;
    const RegistrationOptions options_;
    const RegisteredFn on_registered_;
    const IncomingFn on_incoming_;
    const TroubleFn on_trouble_;
    boost::asio::io_context io_;
    std::thread thread_;
};

// The host's addresses in its own networks (every interface but loopback and
// link-local), each with `port`: what it registers as lan_addrs.
std::vector<std::string> local_addresses(uint16_t port);

}  // namespace tether::rendezvous
