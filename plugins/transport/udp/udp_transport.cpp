#include "udp_transport.h"

#include "address.h"
#include "dial.h"
#include "plugin_log.h"
#include "udp_connection.h"
#include "udp_listener.h"
#include "udp_port.h"
#include "wire.h"

#include <algorithm>
#include <cstring>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>

namespace tether::udp {
namespace {

const tether_host_api& checked(const tether_host_api* host) {
    if (host == nullptr || host->buffer_ref == nullptr || host->buffer_unref == nullptr)
        throw std::invalid_argument("the UDP transport needs the host's buffer functions");
    return *host;
}

void start_enet() {
    static std::once_flag started;
    std::call_once(started, [] {
        if (enet_initialize() != 0) throw std::runtime_error("ENet cannot start");
    });
}

void write_bound(std::span<char> bound, const Address& address) {
    if (bound.empty()) return;
    const std::string text = format_address(address);
    if (text.size() >= bound.size())
        throw std::length_error("the bound address " + text + " does not fit in " + std::to_string(bound.size()) +
                                " bytes");
    std::memcpy(bound.data(), text.c_str(), text.size() + 1);
}

}  // namespace

UdpTransport::UdpTransport(const tether_host_api* host) : host_(checked(host)) {
    start_enet();
    network_.start(*this);
}

UdpTransport::~UdpTransport() {
    try {
        network_.run_and_wait([this] {
            shutdown_deadline_ = Clock::now() + kGoodbyeGrace;
            for (const auto& [handle, port] : ports_) port->stop("transport closed");
            for (const auto& [handle, listener] : listeners_) listener->stop();
            const auto dials = dials_;  // each leaves the map as it ends
            for (const auto& [handle, dial] : dials) dial->cancel("transport closed");
            const auto connections = connections_;
            for (const auto& [handle, connection] : connections) connection->shut_down(kGoodbyeGrace);
        });
    } catch (const std::exception& e) {
        // Only a host callback can throw here; the join below must happen regardless.
        log(TETHER_LOG_ERROR, std::string("closing the transport: ") + e.what());
    }
    network_.stop();
}

UdpListener* UdpTransport::listen(std::string_view address, tether_accept_fn on_accept, void* ctx,
                                  std::span<char> bound) {
    if (on_accept == nullptr) throw std::invalid_argument("listen needs an accept callback");
    const Address local = parse_address(address);
    UdpListener* handle = nullptr;
    network_.run_and_wait([&] {
        auto listener = std::make_shared<UdpListener>(*this, make_endpoint(UdpSocket::bind(local), kPeersPerEndpoint),
                                                      on_accept, ctx);
        write_bound(bound, listener->local_address());  // before it is kept: a failure leaves nothing behind
        handle = listener.get();
        listeners_.emplace(handle, std::move(listener));
    });
    return handle;
}

void UdpTransport::close_listener(UdpListener* listener) {
    network_.run_and_wait([&] {
        listener->stop();
        listeners_.erase(listener);
    });
}

UdpConnection* UdpTransport::connect(std::string_view address, uint32_t timeout_ms) {
    if (network_.is_current()) throw std::logic_error("connect blocks and cannot run on a transport thread");
    const Address target = resolve_address(address);
    if (target.port == 0) throw std::invalid_argument("bad address '" + std::string(address) + "': port 0");
    struct Outcome {
        UdpConnection* connection = nullptr;
        std::string error;
    };
    auto outcome = std::make_shared<std::promise<Outcome>>();
    auto ended = outcome->get_future();
    network_.run_and_wait([&] {
        auto dial = std::make_shared<Dial>(*this, make_endpoint(UdpSocket::bind({}), 1), target, kPlainConnectData);
        dial->start([this, outcome, key = dial.get()](std::shared_ptr<UdpConnection> connection, const std::string& error) {
            dials_.erase(key);
            outcome->set_value({connection.get(), error});
        });
        dials_.emplace(dial.get(), dial);
        // 0: as long as ENet tries (5 to 30 s without an answer).
        if (timeout_ms == 0) return;
        network_.at(Clock::now() + std::chrono::milliseconds(timeout_ms), [weak = std::weak_ptr(dial), timeout_ms] {
            if (const auto late = weak.lock()) late->cancel("timed out after " + std::to_string(timeout_ms) + " ms");
        });
    });
    Outcome result = ended.get();
    if (result.connection == nullptr) throw std::runtime_error(result.error);
    return result.connection;
}

UdpPort* UdpTransport::open_port(const tether_port_config& config, std::span<char> bound) {
    if (!TETHER_HAS_FIELD(&config, tether_port_config, ctx)) throw std::invalid_argument("the port config is too short");
    if (config.bind_address == nullptr) throw std::invalid_argument("no address to bind the port to");
    const Address local = parse_address(config.bind_address);
    UdpPort* handle = nullptr;
    network_.run_and_wait([&] {
        auto port = std::make_shared<UdpPort>(*this, make_endpoint(UdpSocket::bind(local), kPeersPerEndpoint),
                                              config.on_datagram, config.ctx);
        write_bound(bound, port->local_address());
        handle = port.get();
        ports_.emplace(handle, std::move(port));
    });
    return handle;
}

// ---- network thread ----

std::shared_ptr<Endpoint> UdpTransport::make_endpoint(UdpSocket socket, size_t peers) {
    return std::make_shared<Endpoint>(*this, std::move(socket), peers);
}

std::shared_ptr<UdpConnection> UdpTransport::adopt(std::shared_ptr<Endpoint> endpoint, ENetPeer* peer) {
    auto connection = std::make_shared<UdpConnection>(*this, std::move(endpoint), peer);
    connections_.emplace(connection.get(), connection);
    return connection;
}

Clock::time_point UdpTransport::serve(Clock::time_point now) {
    // A snapshot: servicing one endpoint may make or end others.
    std::vector<std::shared_ptr<Endpoint>> live;
    live.reserve(endpoints_.size());
    for (Endpoint* endpoint : endpoints_)
        if (auto kept = endpoint->weak_from_this().lock()) live.push_back(std::move(kept));
    Clock::time_point next = Clock::time_point::max();
    for (const auto& endpoint : live) next = std::min(next, endpoint->service(now));
    return next;
}

bool UdpTransport::finished(Clock::time_point now) {
    return now >= shutdown_deadline_ ||
           std::ranges::none_of(connections_, [](const auto& entry) { return entry.second->lingering(); });
}

void UdpTransport::teardown() {
    connections_.clear();
    dials_.clear();
    listeners_.clear();
    ports_.clear();
}

}  // namespace tether::udp
