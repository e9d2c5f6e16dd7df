#include "punch.h"

#include "dial.h"
#include "endpoint.h"
#include "plugin_log.h"
#include "probe_socket.h"
#include "udp_transport.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace tether::udp {
namespace {

constexpr std::chrono::milliseconds kProbeInterval{50};
// How long DIRECT's probes keep first_ttl: longer than the two sides' start
// times differ, so that neither side's probe reaches the other's NAT before
// that side's own mapping exists (a Linux NAT would then remap the port).
constexpr std::chrono::milliseconds kLowTtlPhase{200};
// OPEN_SOCKETS sends again now and then, in case a first packet was lost.
constexpr std::chrono::seconds kSocketRefresh{1};
constexpr size_t kMostHeard = 4;  // paths kept per punch; a stranger cannot fake more (token)
constexpr uint32_t kMostBurst = 256;  // PROBE_PORTS probes in one go

}  // namespace

Punch::Punch(UdpTransport& transport, std::shared_ptr<Endpoint> port, const PunchPlan& plan, Done done)
    : transport_(transport),
      bind_ip_(port->local_address().ip),
      plan_(plan),
      done_(std::move(done)),
      endpoint_(plan.method == TETHER_PUNCH_OPEN_SOCKETS ? nullptr : std::move(port)),
      random_(std::random_device{}()) {}

Punch::~Punch() = default;

void Punch::start() {
    started_ = Clock::now();
    deadline_ = started_ + plan_.timeout;
    next_probe_ = next_refresh_ = started_;
    try {
        if (endpoint_ != nullptr) endpoint_->add_punch(*this);
        if (plan_.method == TETHER_PUNCH_OPEN_SOCKETS) open_sockets();
        if (plan_.method == TETHER_PUNCH_PROBE_PORTS) {
            ports_.resize(65535);
            std::iota(ports_.begin(), ports_.end(), uint16_t{1});
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    tick();
}

void Punch::tick() {
    if (finished_) return;
    const Clock::time_point now = Clock::now();
    if (now >= deadline_) return fail(timeout_reason());
    Clock::time_point next = deadline_;
    // The dialer stops probing once it connects over a path; the acceptor
    // keeps its paths open until the connect arrives.
    if (dial_ == nullptr) {
        if (now >= next_probe_) {
            probe_paths(now);
            next_probe_ = now + kProbeInterval;
        }
        next = std::min(next, next_probe_);
        if (!sockets_.empty()) {
            if (now >= next_refresh_) {
                refresh_sockets();
                next_refresh_ = now + kSocketRefresh;
            }
            next = std::min(next, next_refresh_);
        }
        if (!ports_.empty() && heard_.empty() && swept_ < plan_.probes) {
            sweep(now);
            next = std::min(next, next_sweep());
        }
    }
    // One chain of ticks at a time: a newer one (see dialed) retires the older.
    transport_.network().at(next, [weak = weak_from_this(), round = round_] {
        if (const auto self = weak.lock(); self != nullptr && self->round_ == round) self->tick();
    });
}

void Punch::probe_paths(Clock::time_point now) {
    if (endpoint_ == nullptr) return;  // OPEN_SOCKETS: no path yet
    if (plan_.method == TETHER_PUNCH_DIRECT)
        send(plan_.peer, PunchKind::probe, now - started_ < kLowTtlPhase ? plan_.first_ttl : 0);
    for (const Address& path : heard_) send(path, PunchKind::probe, 0);
}

// PROBE_PORTS: the probes due by now, each to a port not tried yet.
void Punch::sweep(Clock::time_point now) {
    const auto elapsed = std::chrono::duration<double>(now - started_).count();
    const auto due = std::min<uint64_t>(plan_.probes, static_cast<uint64_t>(elapsed * plan_.probes_per_second) + 1);
    const PunchBytes probe = encode_punch({PunchKind::probe, plan_.token});
    for (uint32_t burst = 0; swept_ < due && burst < kMostBurst; ++burst, ++swept_) {
        std::swap(ports_[swept_], ports_[std::uniform_int_distribution<size_t>(swept_, ports_.size() - 1)(random_)]);
        note(endpoint_->send_raw({plan_.peer.ip, ports_[swept_]}, probe));
    }
}

Clock::time_point Punch::next_sweep() const {
    const auto at = std::chrono::duration<double>(static_cast<double>(swept_) / plan_.probes_per_second);
    return std::max(Clock::now() + std::chrono::milliseconds(1),
                    started_ + std::chrono::duration_cast<Clock::duration>(at));
}

void Punch::open_sockets() {
    for (uint32_t i = 0; i < plan_.sockets; ++i) {
        try {
            sockets_.push_back(
                std::make_unique<ProbeSocket>(transport_.network(), *this, UdpSocket::bind({bind_ip_, 0})));
        } catch (const std::system_error& e) {
            if (sockets_.empty()) throw;
            log(TETHER_LOG_WARN, "a punch opened " + std::to_string(sockets_.size()) + " of " +
                                     std::to_string(plan_.sockets) + " sockets: " + e.what());
            return;
        }
    }
}

// Only first_ttl: these packets open this side's mappings; were they to reach
// the peer's NAT before its probes, a Linux NAT there would take them for a
// flow of its own and remap the very ports those probes go out from.
void Punch::refresh_sockets() {
    const PunchBytes probe = encode_punch({PunchKind::probe, plan_.token});
    for (const auto& socket : sockets_) note(socket->send(plan_.peer, probe, plan_.first_ttl));
}

void Punch::on_socket_packet(ProbeSocket& socket, PunchKind kind, const Address& from) {
    if (finished_) return;
    try {
        promote(socket);
    } catch (const std::exception& e) {
        return fail(std::string("cannot use the punched socket: ") + e.what());
    }
    on_packet(kind, from);
}

void Punch::promote(ProbeSocket& winner) {
    UdpSocket socket = winner.take();
    sockets_.clear();  // the others close, before ENet makes a host (it opens a socket of its own for a moment)
    endpoint_ = transport_.make_endpoint(std::move(socket), 1);
    endpoint_->add_punch(*this);
}

void Punch::on_packet(PunchKind kind, const Address& from) {
    if (finished_ || endpoint_ == nullptr) return;
    if (kind == PunchKind::probe) send(from, PunchKind::answer, 0);
    hear(from);
    if (kind == PunchKind::answer && plan_.dialer && dial_ == nullptr) dial(from);
}

void Punch::hear(const Address& from) {
    if (heard_.size() >= kMostHeard || std::ranges::find(heard_, from) != heard_.end()) return;
    heard_.push_back(from);
    // Probe it at once, so that the peer answers on this path too.
    send(from, PunchKind::probe, 0);
}

void Punch::send(const Address& to, PunchKind kind, int ttl) {
    note(endpoint_->send_raw(to, encode_punch({kind, plan_.token}), ttl));
}

void Punch::note(std::error_code error) {
    if (error) send_error_ = error;
}

bool Punch::admits(const Address& from, uint32_t data) const {
    return !finished_ && !plan_.dialer && data == connect_data_of(plan_.token) &&
           std::ranges::find(heard_, from) != heard_.end();
}

void Punch::dial(const Address& to) {
    dial_ = std::make_shared<Dial>(transport_, endpoint_, to, connect_data_of(plan_.token));
    try {
        dial_->start([weak = weak_from_this()](std::shared_ptr<UdpConnection> connection, const std::string& error) {
            if (const auto self = weak.lock()) self->dialed(std::move(connection), error);
        });
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

void Punch::dialed(std::shared_ptr<UdpConnection> connection, const std::string& error) {
    if (finished_) return;
    if (connection != nullptr) return succeed(std::move(connection));
    // That path did not carry a connection: probe again and dial the next answer.
    log(TETHER_LOG_DEBUG, "punched path lost: " + error);
    dial_.reset();
    ++round_;
    tick();
}

void Punch::succeed(std::shared_ptr<UdpConnection> connection) { finish(std::move(connection), {}); }

void Punch::fail(const std::string& reason) {
    const auto dial = std::exchange(dial_, nullptr);
    finish(nullptr, reason);
    if (dial != nullptr) dial->cancel(reason);  // its report finds this punch finished
}

void Punch::finish(std::shared_ptr<UdpConnection> connection, const std::string& error) {
    if (finished_) return;
    finished_ = true;
    const auto keep = shared_from_this();  // done_ lets go of it
    if (endpoint_ != nullptr) endpoint_->remove_punch(*this);
    endpoint_.reset();
    sockets_.clear();
    ports_ = {};
    std::exchange(done_, nullptr)(keep, std::move(connection), error);
}

std::string Punch::timeout_reason() const {
    std::string reason = "punch timed out after " + std::to_string(plan_.timeout.count()) + " ms: ";
    if (heard_.empty()) {
        reason += "nothing came from the peer";
        if (send_error_) reason += " (the last send failed: " + send_error_.message() + ")";
    } else if (plan_.dialer) {
        reason += "the peer answered from " + format_address(heard_.front()) + " but no connection opened there";
    } else {
        reason += "the peer was heard from " + format_address(heard_.front()) + " but did not connect";
    }
    return reason;
}

}  // namespace tether::udp
