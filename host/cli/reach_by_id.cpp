#include "reach_by_id.h"

#include "context.h"
#include "stop_signal.h"
#include "rendezvous/host_registration.h"
#include "rendezvous/look_up.h"
#include "rendezvous/server_address.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "security/key_text.h"
#include "security/known_hosts.h"
#include "session/host_by_id_check.h"
#include "session/relay_preface.h"
#include "session/punch_plan.h"
#include "session/relay_route.h"
#include "session/tcp_punch.h"
#include "session/udp_mapping.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

constexpr auto kLookupTimeout = 5s;
constexpr auto kRaceTimeout = 15s;
// The relay starts this late, so a direct path that works wins without costing it.
constexpr auto kRelayDelay = 200ms;

// The rendezvous server's key: the one given, or the one pinned for it, or pinned now.
security::PublicKey trusted_server_key(const ReachOptions& o, const std::string& server, const std::string& offered) {
    const auto key = rendezvous::key_from_bytes(offered);
    if (!key) throw std::runtime_error("the rendezvous server " + server + " sent no key");
    if (!o.server_key.empty()) {
        security::PublicKey given{};
        if (!security::parse_hex(o.server_key, given))
            throw UsageError("--rendezvous-key: expected the 64 hex digits `tether serve --print-key` prints");
        if (given != *key)
            throw net::HandshakeError("the rendezvous server " + server + " presents key " + security::fingerprint(*key) +
                                      ", not the one you gave (" + security::fingerprint(given) + ")");
        return given;
    }
    security::KnownHosts servers(o.data_dir / "known_servers");
    if (const auto pinned = servers.find(server)) {
        if (*pinned != *key)
            throw net::HandshakeError("RENDEZVOUS SERVER KEY CHANGED for " + server + ": pinned " +
                                      security::fingerprint(*pinned) + ", now " + security::fingerprint(*key) +
                                      ". If the server really has a new key, give it with --rendezvous-key");
        return *pinned;
    }
    servers.pin({server}, *key);
    spdlog::info("first use of rendezvous server {}: pinned its key {}; `tether serve --print-key` on the server "
                 "shows the key to compare",
                 server, security::fingerprint(*key));
    return *key;
}

// The host key the server vouches for, once its answer is in: a host dialing
// back may finish its handshake before the viewer has read that answer.
class VouchedKey {
public:
    void set(const security::PublicKey& key) {
        {
            std::lock_guard lock(mutex_);
            key_ = key;
        }
        known_.notify_all();
    }
    std::optional<security::PublicKey> wait() {
        std::unique_lock lock(mutex_);
        known_.wait_for(lock, kLookupTimeout, [&] { return key_.has_value(); });
        return key_;
    }

private:
    std::mutex mutex_;
    std::condition_variable known_;
    std::optional<security::PublicKey> key_;
};

// This side's UDP port and how it is seen, for the lookup: nullopt when the
// server does not answer over UDP (blocked on the way).
struct UdpSide {
    std::shared_ptr<Port> port;
    session::UdpMapping mapping;
};
std::optional<UdpSide> udp_side(const std::shared_ptr<Transport>& punching, const std::string& server,
                                session::DatagramReplies& replies) {
    if (!punching) return std::nullopt;
    try {
        auto port = std::shared_ptr<Port>(punching->open_port("0.0.0.0:0", replies.sink()));
        const auto mapping = session::learn_mapping(*port, replies, session::udp_server_address(server));
        if (!mapping) {
            spdlog::info("the rendezvous server does not answer over UDP: no UDP punching");
            return std::nullopt;
        }
        return UdpSide{std::move(port), *mapping};
    } catch (const std::exception& e) {
        spdlog::info("no UDP punching: {}", e.what());
        return std::nullopt;
    }
}

}  // namespace

Reached reach_by_id(std::shared_ptr<Transport> transport, const ReachOptions& o) {
    const rendezvous::ServerAddress address = rendezvous::parse_server_address(o.server);
    const std::string& server = address.text;
    const security::Identity viewer_key = security::fresh_identity();
    const std::string shown_id = "ID " + security::format_peer_id(o.id);

    // The host checks come in once the voucher is known; until then nothing can pass.
    auto vouched = std::make_shared<VouchedKey>();
    auto race = std::make_unique<session::PathRace>(
        transport, [vouched, check = o.host_check, id = o.id, accept = o.accept_key](const std::string& peer_id,
                                                                                    const security::PublicKey& key) {
            session::check_host_by_id(id, vouched->wait(), accept, peer_id, key);
            check(peer_id, key);
        });
    const std::string listening = race->listen_for_host("0.0.0.0:0");
    const uint16_t port = static_cast<uint16_t>(std::stoi(listening.substr(listening.rfind(':') + 1)));

    proto::Lookup lookup;
    lookup.set_id(o.id);
    lookup.set_viewer_key(rendezvous::key_bytes(viewer_key.public_key));
    for (const auto& addr : rendezvous::local_addresses(port)) lookup.add_viewer_addrs(addr);
    lookup.set_listen_port(port);
    // Outlives the race's punches, which end when it closes.
    auto replies = std::make_shared<session::DatagramReplies>();
    // A server reached over WebSocket is beyond a firewall that lets no UDP out.
    const auto udp = address.websocket() ? std::nullopt : udp_side(o.punching, address.host_port, *replies);
    if (udp) {
        lookup.mutable_viewer_udp()->set_addr(udp->mapping.observed);
        lookup.mutable_viewer_udp()->set_varies(udp->mapping.varies);
        race->add_closer([port = udp->port, replies] { port->close(); });
    }
    const proto::LookupReply reply = rendezvous::look_up(address, lookup, time_left(o.deadline, kLookupTimeout));
    const security::PublicKey server_key = trusted_server_key(o, server, reply.server_key());
    if (!reply.has_found())
        throw std::runtime_error(shown_id + " is not online at the rendezvous server " + server);
    const proto::Found& found = reply.found();
    if (auto refused = rendezvous::check_voucher(server_key, found.voucher(), o.id, rendezvous::unix_now()))
        throw net::HandshakeError("the rendezvous server " + server + " answered for " + shown_id + " badly: " + *refused);
    vouched->set(*rendezvous::key_from_bytes(found.voucher().key()));

    // Direct paths are named after the transport they go on ("tcp" by default).
    const std::string direct = transport->vtable().scheme;
    for (const auto& addr : found.lan_addrs())
        if (rendezvous::is_endpoint_text(addr)) race->dial({direct, addr, std::nullopt, 0ms, {}});
    if (rendezvous::is_endpoint_text(found.public_addr())) {
        race->dial({direct, found.public_addr(), std::nullopt, 0ms, {}});
        // The host dials our public address from its port at once: the two meet through port-preserving NATs.
        if (auto punch = session::tcp_punch(transport, listening, found.public_addr()))
            race->dial({direct, found.public_addr(), std::nullopt, 0ms, std::move(punch)});
    }
    if (udp && found.has_host_udp())
        if (auto plan = session::punch_plan(udp->mapping, found.host_udp(), found.punch_token(), TETHER_PUNCH_DIALER))
            race->dial({"udp", found.host_udp().addr(), std::nullopt, 0ms,
                        [port = udp->port, plan = *plan] { return port->punch(plan); }});
    if (const auto relay = session::RelayRoute(address, o.websocket).pick(found.relay(), found.relay_websocket()))
        race->dial({relay->path, relay->address, session::relay_preface(found.relay_token(), false, viewer_key),
                    kRelayDelay, relay->open});
    race->on_upgrade(wake_waiters);  // the session moves when a direct path comes up after the relay
    auto winner = race->wait(time_left(o.deadline, kRaceTimeout));
    return {std::move(winner.channel), winner.path, winner.address, std::move(race)};
}

}  // namespace tether::cli
