#include "rendezvous_server.h"

#include "endpoint_text.h"
#include "first_frame.h"
#include "lookup_answer.h"
#include "refusal_reasons.h"
#include "relay_directory.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "rendezvous_connection.h"
#include "source_rate_limiter.h"
#include "udp_registration.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace tether::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;
using Connection = RendezvousConnection;

constexpr auto kFirstFrameTimeout = std::chrono::seconds(10);
constexpr auto kSweepInterval = std::chrono::milliseconds(500);
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);  // after EMFILE and the like
constexpr size_t kNonceSize = 16;
constexpr size_t kMaxRateSources = 65'536;  // per table
constexpr size_t kMaxNewcomersPerSource = 64;
constexpr int kBindAttempts = 8;            // for a free port TCP and UDP both have

using rendezvous::field_bytes;

std::string random_nonce() {
    std::string nonce(kNonceSize, '\0');
    randombytes_buf(nonce.data(), nonce.size());
    return nonce;
}

}  // namespace

struct RendezvousServer::State final : Connection::Events, std::enable_shared_from_this<State> {
    using Acceptor = asio::basic_socket_acceptor<tcp, asio::io_context::executor_type>;
    using UdpSocket = asio::basic_datagram_socket<udp, asio::io_context::executor_type>;
    using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, asio::io_context::executor_type>;

    State(asio::io_context& io, const security::Identity& server_key, RendezvousOptions options, ServerMetrics& metrics);

    void bind();
    void accept();
    void admit(Connection::Socket socket, Framing framing);
    void sweep();
    // A UDP socket with its receive buffer.
    struct DatagramPort {
        explicit DatagramPort(asio::io_context& io) : socket(io.get_executor()) {}
        UdpSocket socket;
        std::array<uint8_t, rendezvous::kMaxMessage + 1> datagram{};  // one more byte tells an oversized one
        udp::endpoint source;
    };
    void bind_nat_test();
    void receive(DatagramPort& port);
    void answer_datagram_on(DatagramPort& port, size_t size);
    void stop();

    void on_frame(const std::shared_ptr<Connection>& connection, std::span<const uint8_t> body) override;
    void on_refused(std::string_view reason) override { metrics.refuse(reason); }
    void on_closed(Connection& connection) override;

    void on_first_frame(const std::shared_ptr<Connection>& connection, std::span<const uint8_t> body);
    void challenge(Connection& connection, proto::Register request);
    void check_proof(Connection& connection, const proto::RegisterProof& proof);
    void refuse_registration(Connection& connection, std::string_view reason, const std::string& words);
    void go_online(Connection& connection, const proto::Register& request, const security::PublicKey& key);
    void answer(Connection& viewer, const proto::Lookup& lookup);
    void take_announcement(Connection& connection, const proto::RelayAnnounce& announce);
    void refuse(Connection& connection, std::string_view reason);
    void count_online();
    void count_relays();
    void leave_newcomers(Connection& connection);  // its first frame came, or it closed first

    asio::io_context& io;
    const security::Identity server_key;
    const RendezvousOptions options;
    ServerMetrics& metrics;
    rendezvous::PeerRegistry registry;
    RelayDirectory relays;
    SourceRateLimiter registration_limits;
    SourceRateLimiter lookup_limits;
    SourceRateLimiter datagram_limits;
    const UdpCookies cookies;
    const PinnedKeyOf pinned_key_of;

    Acceptor acceptor;
    DatagramPort rendezvous_port;
    DatagramPort nat_test;
    uint16_t nat_test_port = 0;
    Timer sweep_timer;
    Timer accept_retry;

    std::unordered_set<std::shared_ptr<Connection>> connections;
    std::unordered_map<std::string, size_t> newcomers_by_source;
    std::unordered_map<std::string, Connection*> online;  // each a connection whose peer is a Host
    std::atomic<size_t> online_count{0};
    std::string address;
    bool stopped = false;
};

RendezvousServer::State::State(asio::io_context& io_, const security::Identity& server_key_, RendezvousOptions options_,
                               ServerMetrics& metrics_)
    : io(io_),
      server_key(server_key_),
      options(std::move(options_)),
      metrics(metrics_),
      registry(options.registry_file),
      relays(options.relays, options.websocket_relay),
      registration_limits({options.registrations_per_s, options.registration_burst}, kMaxRateSources),
      lookup_limits({options.lookups_per_s, options.lookup_burst}, kMaxRateSources),
      datagram_limits({options.registrations_per_s, options.registration_burst}, kMaxRateSources),
      pinned_key_of([this](const std::string& id) -> std::optional<security::PublicKey> {
          try {
              return registry.key_of(id);
          } catch (const rendezvous::RegistryError& e) {
              spdlog::warn("rendezvous: {}", e.what());
              return std::nullopt;
          }
      }),
      acceptor(io.get_executor()),
      rendezvous_port(io),
      nat_test(io),
      sweep_timer(io.get_executor()),
      accept_retry(io.get_executor()) {
    bind();
    bind_nat_test();
    count_relays();
}

void RendezvousServer::State::bind() {
    // std::invalid_argument for a bad address: the constructor says it is the rendezvous server's.
    const tcp::endpoint where = parse_endpoint(options.listen);
    boost::system::error_code ec;
    for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
        acceptor.close(ec);
        rendezvous_port.socket.close(ec);
        acceptor.open(where.protocol(), ec);
        if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor.bind(where, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) break;
        const udp::endpoint udp_endpoint(where.address(), acceptor.local_endpoint().port());
        rendezvous_port.socket.open(udp_endpoint.protocol(), ec);
        if (!ec) rendezvous_port.socket.bind(udp_endpoint, ec);
        if (!ec) rendezvous_port.socket.non_blocking(true, ec);
        // With port 0 the kernel picked a TCP port whose UDP twin may be taken: pick again.
        if (!ec || where.port() != 0) break;
    }
    if (ec) throw std::runtime_error("rendezvous server cannot listen on " + options.listen + ": " + ec.message());
    address = endpoint_text(acceptor.local_endpoint().address(), acceptor.local_endpoint().port());
}

void RendezvousServer::State::bind_nat_test() {
    if (options.nat_test_listen.empty()) return;
    const tcp::endpoint where = parse_endpoint(options.nat_test_listen);
    const udp::endpoint endpoint(where.address(), where.port());
    boost::system::error_code ec;
    nat_test.socket.open(endpoint.protocol(), ec);
    if (!ec) nat_test.socket.bind(endpoint, ec);
    if (!ec) nat_test.socket.non_blocking(true, ec);
    if (ec)
        throw std::runtime_error("rendezvous server cannot listen for NAT tests on " + options.nat_test_listen + ": " +
                                 ec.message());
    nat_test_port = nat_test.socket.local_endpoint().port();
}

void RendezvousServer::State::accept() {
    acceptor.async_accept(io.get_executor(), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                          Connection::Socket socket) {
        if (self->stopped) return;
        if (!ec) {
            self->admit(std::move(socket), Framing::LengthPrefixed);
            return self->accept();
        }
        // Out of descriptors or memory: retrying at once would spin.
        spdlog::warn("rendezvous: accepting a connection failed: {}", ec.message());
        self->accept_retry.expires_after(kAcceptRetry);
        self->accept_retry.async_wait([self](const boost::system::error_code& wait_error) {
            if (!wait_error && !self->stopped) self->accept();
        });
    });
}

void RendezvousServer::State::admit(Connection::Socket socket, Framing framing) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;
    if (connections.size() >= options.max_connections) {
        metrics.refuse(refusal::kTooManyConnections);
        return;  // the socket closes as it goes
    }
    const auto source = plain_address(remote.address());
    // Connections that have not said who they are yet, from one address: a
    // stranger holding thousands open would take the descriptors of everyone.
    size_t& newcomers = newcomers_by_source[source.to_string()];
    if (newcomers >= kMaxNewcomersPerSource) {
        metrics.refuse(refusal::kTooManyConnections);
        return;
    }
    ++newcomers;
    auto connection = std::make_shared<Connection>(std::move(socket), framing, source, *this);
    connection->counted_newcomer = true;
    connections.insert(connection);
    connection->start(Clock::now() + kFirstFrameTimeout);
}

void RendezvousServer::State::sweep() {
    sweep_timer.expires_after(kSweepInterval);
    sweep_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->stopped) return;
        const auto now = Clock::now();
        std::vector<std::shared_ptr<Connection>> expired;
        for (const auto& connection : self->connections)
            if (connection->deadline <= now) expired.push_back(connection);
        for (const auto& connection : expired) {
            // A host that missed its heartbeats just goes offline; a silent newcomer is refused.
            if (std::holds_alternative<Connection::Newcomer>(connection->peer) ||
                std::holds_alternative<Connection::Registering>(connection->peer))
                self->metrics.refuse(refusal::kTimeout);
            connection->close();
        }
        self->relays.expire(now);
        self->count_relays();
        self->sweep();
    });
}

void RendezvousServer::State::receive(DatagramPort& port) {
    port.socket.async_receive_from(asio::buffer(port.datagram), port.source,
                                   [self = shared_from_this(), &port](const boost::system::error_code& ec, size_t size) {
                                       if (self->stopped || ec == asio::error::operation_aborted) return;
                                       // Other errors (an ICMP unreachable echoed back) concern one datagram only.
                                       if (!ec) self->answer_datagram_on(port, size);
                                       self->receive(port);
                                   });
}

void RendezvousServer::State::answer_datagram_on(DatagramPort& port, size_t size) {
    if (!datagram_limits.allow(port.source.address(), Clock::now())) return metrics.refuse(refusal::kRate);
    const std::span<const uint8_t> datagram{port.datagram.data(), size};
    const DatagramOutcome outcome =
        &port == &nat_test ? answer_nat_test(datagram, port.source)
                           : answer_datagram(datagram, port.source, rendezvous::unix_now(), cookies, pinned_key_of,
                                             nat_test_port);
    if (!outcome.refused.empty()) metrics.refuse(outcome.refused);
    if (!outcome.verified_id.empty()) {
        // Remembered only for a host online over TCP; answer_datagram checked the key is the pinned one.
        const auto it = online.find(outcome.verified_id);
        if (it != online.end()) {
            OnlineHost& host = std::get<Connection::Host>(it->second->peer).host;
            host.udp_addr = endpoint_text(port.source.address(), port.source.port());
            host.udp_varies = outcome.udp_varies;
        }
    }
    if (outcome.reply.empty()) return;
    boost::system::error_code ignored;  // a full send buffer drops the answer, as the network may
    port.socket.send_to(asio::buffer(outcome.reply), port.source, 0, ignored);
}

void RendezvousServer::State::on_frame(const std::shared_ptr<Connection>& connection, std::span<const uint8_t> body) {
    if (std::holds_alternative<Connection::Newcomer>(connection->peer)) {
        leave_newcomers(*connection);
        return on_first_frame(connection, body);
    }
    const auto message = rendezvous::decode(body);
    if (message && message->has_proof() && std::holds_alternative<Connection::Registering>(connection->peer))
        return check_proof(*connection, message->proof());
    if (message && message->has_heartbeat() && std::holds_alternative<Connection::Host>(connection->peer)) {
        connection->deadline = Clock::now() + 3 * options.heartbeat;
        return connection->send(*message);
    }
    if (message && message->has_relay_announce() && std::holds_alternative<Connection::Relay>(connection->peer))
        return take_announcement(*connection, message->relay_announce());
    refuse(*connection, refusal::kMalformed);
}

void RendezvousServer::State::on_first_frame(const std::shared_ptr<Connection>& connection, std::span<const uint8_t> body) {
    std::visit(
        [&](auto&& frame) {
            using Frame = std::decay_t<decltype(frame)>;
            if constexpr (std::is_same_v<Frame, Refused>) {
                refuse(*connection, frame.reason);
            } else if constexpr (std::is_same_v<Frame, proto::Register>) {
                challenge(*connection, std::move(frame));
            } else if constexpr (std::is_same_v<Frame, proto::Lookup>) {
                answer(*connection, frame);
            } else {
                take_announcement(*connection, frame);
            }
        },
        classify_first_frame(body));
}

void RendezvousServer::State::refuse(Connection& connection, std::string_view reason) {
    metrics.refuse(reason);
    connection.close();
}

void RendezvousServer::State::challenge(Connection& connection, proto::Register request) {
    if (!registration_limits.allow(connection.remote_address(), Clock::now())) return refuse(connection, refusal::kRate);
    Connection::Registering registering{std::move(request), random_nonce()};
    proto::RendezvousMessage message;
    message.mutable_challenge()->set_nonce(registering.nonce);
    connection.peer = std::move(registering);
    connection.deadline = Clock::now() + kFirstFrameTimeout;
    connection.send(message);
}

void RendezvousServer::State::refuse_registration(Connection& connection, std::string_view reason,
                                                  const std::string& words) {
    metrics.refuse(reason);
    proto::RendezvousMessage message;
    message.mutable_register_refused()->set_reason(words);
    connection.send_then_close(message);
}

void RendezvousServer::State::check_proof(Connection& connection, const proto::RegisterProof& proof) {
    const auto& [request, nonce] = std::get<Connection::Registering>(connection.peer);
    const auto key = *rendezvous::key_from_bytes(request.key());  // first_frame checked its size
    const std::string& id = request.id();
    if (!security::verify(key, rendezvous::register_proof_message(id, field_bytes(nonce)),
                          field_bytes(proof.signature())))
        return refuse_registration(connection, refusal::kBadProof, "the proof is not signed by the key presented");
    try {
        const rendezvous::PinResult pinned = registry.pin(id, key);
        if (pinned.outcome == rendezvous::Pin::NotItsId)
            return refuse_registration(connection, refusal::kNotItsId,
                                       "ID " + security::format_peer_id(id) + " is not derived from this host's key");
        if (pinned.outcome == rendezvous::Pin::OtherKey &&
            (request.key_change().empty() || !registry.change_key(id, key, field_bytes(request.key_change()))))
            return refuse_registration(connection, refusal::kKeyPinnedToAnother,
                                       "ID " + security::format_peer_id(id) + " is registered to key " +
                                           security::fingerprint(pinned.pinned) + "; this host presents " +
                                           security::fingerprint(key));
    } catch (const rendezvous::RegistryError& e) {
        spdlog::warn("rendezvous: {}", e.what());
        return refuse_registration(connection, refusal::kRegistry, "the server cannot record registrations now");
    }
    const proto::Register accepted = request;  // the peer's state is replaced next
    go_online(connection, accepted, key);
}

void RendezvousServer::State::go_online(Connection& connection, const proto::Register& request,
                                        const security::PublicKey& key) {
    OnlineHost host{.id = request.id(),
                    .key = key,
                    .public_addr = request.listen_port() != 0
                                       ? endpoint_text(connection.remote_address(),
                                                       static_cast<uint16_t>(request.listen_port()))
                                       : std::string(),
                    .lan_addrs = {request.lan_addrs().begin(), request.lan_addrs().end()},
                    .udp_addr = {}};

    proto::RendezvousMessage message;
    auto& registered = *message.mutable_registered();
    registered.set_public_addr(host.public_addr);
    *registered.mutable_voucher() = rendezvous::make_voucher(server_key, host.id, key,
                                                             rendezvous::unix_now() + options.voucher_lifetime.count());
    registered.set_heartbeat_s(static_cast<uint32_t>(options.heartbeat.count()));

    // A second registration of an ID replaces the first: the older connection goes.
    Connection*& slot = online[host.id];
    Connection* replaced = slot != &connection ? slot : nullptr;
    slot = &connection;
    connection.peer = Connection::Host{std::move(host)};
    connection.deadline = Clock::now() + 3 * options.heartbeat;
    if (replaced != nullptr) replaced->close();
    metrics.registrations.Increment();
    count_online();
    connection.send(message);
}

void RendezvousServer::State::answer(Connection& viewer, const proto::Lookup& lookup) {
    if (!lookup_limits.allow(viewer.remote_address(), Clock::now())) return refuse(viewer, refusal::kRate);
    const auto it = online.find(lookup.id());
    Connection* host_connection = it != online.end() ? it->second : nullptr;
    const AssignedRelay relay = relays.assign();
    // ":PORT" relays are dialled at the address each side reached this server on.
    const auto relay_for = [&](const Connection& side) {
        return relay.addr.empty() ? std::string() : relay_address_for(relay.addr, side.local_address());
    };
    const LookupParties parties{
        .host = host_connection != nullptr ? &std::get<Connection::Host>(host_connection->peer).host : nullptr,
        .viewer_public_addr = lookup.listen_port() != 0
                                  ? endpoint_text(viewer.remote_address(), static_cast<uint16_t>(lookup.listen_port()))
                                  : std::string(),
        .relay_for_viewer = relay_for(viewer),
        .relay_for_host = relay_for(host_connection != nullptr ? *host_connection : viewer),
        .viewer_source = plain_address(viewer.remote_address()).to_string(),
        .relay_websocket = relay.websocket};
    const LookupAnswer answer = answer_lookup(
        {.server = server_key,
         .now_unix = rendezvous::unix_now(),
         .voucher_lifetime = options.voucher_lifetime,
         .token_lifetime = options.token_lifetime},
        lookup, parties);
    viewer.peer = Connection::Answered{};
    viewer.send_then_close(answer.reply);
    if (host_connection != nullptr) host_connection->send(answer.incoming);
    metrics.lookups.Increment();
}

void RendezvousServer::State::take_announcement(Connection& connection, const proto::RelayAnnounce& announce) {
    if (options.relay_secret.empty() || !is_relay_announce_text(announce) ||
        !rendezvous::check_relay_announce(options.relay_secret, announce))
        return refuse(connection, refusal::kRelayAnnounceRefused);
    if (const auto* relay = std::get_if<Connection::Relay>(&connection.peer); relay && relay->addr != announce.addr())
        relays.withdraw(relay->addr);
    connection.peer = Connection::Relay{announce.addr()};  // withdrawn again when the connection closes
    if (!relays.announce(announce, Clock::now())) return refuse(connection, refusal::kRelayAnnounceRefused);
    connection.deadline = Clock::now() + kRelayAnnounceLifetime;
    count_relays();
}

void RendezvousServer::State::leave_newcomers(Connection& connection) {
    if (!std::exchange(connection.counted_newcomer, false)) return;
    const auto it = newcomers_by_source.find(connection.remote_address().to_string());
    if (it != newcomers_by_source.end() && --it->second == 0) newcomers_by_source.erase(it);
}

void RendezvousServer::State::on_closed(Connection& connection) {
    leave_newcomers(connection);
    if (const auto* host = std::get_if<Connection::Host>(&connection.peer)) {
        const auto it = online.find(host->host.id);
        if (it != online.end() && it->second == &connection) online.erase(it);
        count_online();
    } else if (const auto* relay = std::get_if<Connection::Relay>(&connection.peer)) {
        relays.withdraw(relay->addr);
        count_relays();
    }
    connections.erase(connection.shared_from_this());
}

void RendezvousServer::State::count_online() {
    online_count = online.size();
    metrics.peers_online.Set(static_cast<double>(online.size()));
}

void RendezvousServer::State::count_relays() { metrics.relays_known.Set(static_cast<double>(relays.known())); }

void RendezvousServer::State::stop() {
    if (stopped) return;
    stopped = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    rendezvous_port.socket.close(ignored);
    nat_test.socket.close(ignored);
    sweep_timer.cancel();
    accept_retry.cancel();
    // Closing calls on_closed, which edits the set: close from a copy.
    const auto open = std::move(connections);
    connections.clear();
    for (const auto& connection : open) connection->close();
    online.clear();
    count_online();
}

RendezvousServer::RendezvousServer(asio::io_context& io, const security::Identity& server_key,
                                   RendezvousOptions options, ServerMetrics& metrics) {
    try {
        state_ = std::make_shared<State>(io, server_key, std::move(options), metrics);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("rendezvous server: ") + e.what());
    }
    state_->accept();
    state_->receive(state_->rendezvous_port);
    if (state_->nat_test.socket.is_open()) state_->receive(state_->nat_test);
    state_->sweep();
}

RendezvousServer::~RendezvousServer() { state_->stop(); }

std::string RendezvousServer::address() const { return state_->address; }

uint16_t RendezvousServer::nat_test_port() const { return state_->nat_test_port; }

void RendezvousServer::adopt_websocket(UpgradedSocket socket) {
    asio::post(state_->io, [state = state_, socket = std::move(socket)]() mutable {
        if (state->stopped) return;
        try {
            state->admit(socket.take<Connection::Socket>(state->io.get_executor()), Framing::WebSocket);
        } catch (const boost::system::system_error& e) {
            spdlog::warn("rendezvous: cannot take a WebSocket peer: {}", e.what());
        }
    });
}

size_t RendezvousServer::peers_online() const { return state_->online_count; }

void RendezvousServer::stop() {
    if (state_->io.get_executor().running_in_this_thread()) return state_->stop();
    asio::post(state_->io, [state = state_] { state->stop(); });
}

}  // namespace tether::server
