#include "endpoint.h"

#include "enet_datagram.h"
#include "peer_limits.h"
#include "peer_owner.h"
#include "plugin_log.h"
#include "punch.h"
#include "udp_connection.h"
#include "udp_listener.h"
#include "udp_port.h"
#include "udp_transport.h"
#include "wire.h"

#include <algorithm>
#include <span>
#include <stdexcept>

namespace tether::udp {
namespace {

// ENet calls the intercept with the host alone; the endpoint being serviced is this one.
thread_local Endpoint* servicing = nullptr;

// A host's peers are serviced in rounds of one event each; a flood of events
// on one endpoint must not starve the others.
constexpr int kMostEventsPerService = 1024;
// ENet failing this many times in a row in one visit: see service().
constexpr int kMostFailures = 16;
// While a peer has something in flight ENet must see it often (retransmissions);
// otherwise seldom (pings every 500 ms, timeouts in seconds).
constexpr std::chrono::milliseconds kBusyVisit{5};
constexpr std::chrono::milliseconds kIdleVisit{100};
// Connections from one address that have not finished ENet's handshake: a
// stranger's unanswered connects must not fill the listener's slots.
constexpr size_t kMostHalfOpenPerSource = 4;
// Half-open connections in all beyond which a listener asks an address it
// has not seen answer for a cookie first: spoofed sources cannot fill it.
constexpr size_t kHalfOpenBeforeCookies = 8;
bool half_open(const ENetPeer& peer) {
    return peer.state >= ENET_PEER_STATE_CONNECTING && peer.state < ENET_PEER_STATE_CONNECTED;
}

ENetHost* make_host(UdpSocket& socket, size_t peers) {
    ENetHost* host = enet_host_create(nullptr, peers, kChannels, 0, 0);
    if (host == nullptr) throw std::runtime_error("ENet cannot make a host (out of memory or descriptors)");
    // ENet made its own unbound socket; ours is bound where the caller asked
    // (or is the one a punch opened its path with).
    enet_socket_destroy(host->socket);
    host->socket = socket.release();
    host->maximumPacketSize = kMaxMessageSize;
    // ENet's own commands carry no MAC: a CRC seeded with the connection's
    // random connect ID keeps a stranger who spoofs a peer's address from
    // ending or stalling its connection (docs/connectivity.md, "Limits").
    host->checksum = enet_crc32;
    return host;
}

}  // namespace

Endpoint::Endpoint(UdpTransport& transport, UdpSocket socket, size_t peers)
    : transport_(transport), local_(socket.local_address()) {
    host_ = make_host(socket, peers);
    host_->address = to_enet(local_);
    host_->intercept = &Endpoint::intercept;
    transport_.enroll(*this);
    transport_.network().watch(fd(), *this);
}

Endpoint::~Endpoint() {
    transport_.network().unwatch(fd());
    transport_.withdraw(*this);
    // Every owner has let go of its peer by now; ENet frees what is left.
    enet_host_destroy(host_);
}

ENetPeer* Endpoint::connect(const Address& to, uint32_t data, PeerOwner& owner) {
    const ENetAddress address = to_enet(to);
    ENetPeer* peer = enet_host_connect(host_, &address, kChannels, data);
    if (peer != nullptr) peer->data = &owner;
    return peer;
}

void Endpoint::remove_punch(Punch& punch) { std::erase(punches_, &punch); }

Clock::time_point Endpoint::service(Clock::time_point now) {
    const auto keep = shared_from_this();  // a callback may let go of the last other reference
    paused_ = false;
    for (int round = 0, failures = 0; round < kMostEventsPerService; ++round) {
        ENetEvent event{};
        servicing = this;
        const int result = enet_host_service(host_, &event, 0);
        servicing = nullptr;
        handle_arrivals();
        if (result == 0) break;
        if (result < 0) {
            // A datagram larger than ENet's buffer (dropped, so read on), or a
            // send the kernel refused, which ENet reports before reading
            // anything: then the socket stays readable, and polling it would spin.
            paused_ = ++failures >= kMostFailures;
            if (paused_) break;
            continue;
        }
        handle(event);
    }
    // Once ENet has handed out every message that came before the refused one.
    handle_refusals();
    const Clock::time_point next = next_visit(now);
    return paused_ ? std::min(next, now + kBusyVisit) : next;
}

Clock::time_point Endpoint::next_visit(Clock::time_point now) const {
    bool connected = false;
    for (const ENetPeer* peer = host_->peers; peer < host_->peers + host_->peerCount; ++peer) {
        if (peer->state == ENET_PEER_STATE_DISCONNECTED) continue;
        if (!enet_list_empty(&peer->outgoingCommands) || !enet_list_empty(&peer->sentReliableCommands))
            return now + kBusyVisit;
        connected = true;
    }
    return connected ? now + kIdleVisit : Clock::time_point::max();
}

int Endpoint::intercept(ENetHost* host, ENetEvent*) {
    if (servicing == nullptr) return 0;
    return servicing->sort({host->receivedData, host->receivedDataLength}, from_enet(host->receivedAddress));
}

// 1: handled here (or dropped); 0: ENet reads it.
int Endpoint::sort(std::span<const uint8_t> datagram, const Address& from) {
    if (has_punch_magic(datagram)) {
        const auto packet = decode_punch(datagram);
        if (packet && (packet->kind == PunchKind::cookie || packet->kind == PunchKind::cookie_echo))
            on_cookie(*packet, from);
        else if (packet && !punches_.empty())
            set_aside(PunchArrival{*packet, from});
        return 1;  // ours, well formed or not
    }
    const auto enet = read_enet_datagram(datagram);
    if (enet && enet->peer_id < host_->peerCount) {
        ENetPeer& peer = host_->peers[enet->peer_id];
        if (peer.state != ENET_PEER_STATE_DISCONNECTED && peer.state != ENET_PEER_STATE_ZOMBIE &&
            from_enet(peer.address) == from) {
            auto* owner = static_cast<PeerOwner*>(peer.data);
            const uint32_t limit = owner != nullptr ? owner->receive_limit() : kBeforeStartLimit;
            auto reason = refusal_reason(peer, *enet, limit);
            if (!reason && enet->sends == 0) return 0;  // acknowledgements and pings: no bytes of a message
            if (!checksum_holds(datagram, *enet, peer.connectID)) return 1;  // a stranger's: ENet would drop it too
            if (!reason) {
                // Counted once its checksum holds: a message's pieces arriving keep the path alive.
                if (owner != nullptr) owner->arrived(datagram.size());
                return 0;
            }
            // Refused before ENet allocates for it; the owner ends once ENet has returned.
            if (refusals_.size() < kMostArrivals) refusals_.push_back({&peer, peer.connectID, std::move(*reason)});
            return 1;
        }
    }
    if (enet && enet->peer_id == kNoPeer && enet->connect_data) return admits(from, *enet) ? 0 : 1;
    if (port_ != nullptr) set_aside(Foreign{from, {datagram.begin(), datagram.end()}});
    return 1;
}

bool Endpoint::admits(const Address& from, const EnetDatagram& connect) {
    const uint32_t data = *connect.connect_data;
    if (listener_ != nullptr && data == kPlainConnectData) {
        // A connect ENet already has a peer for (a retransmission: the same
        // address and connect ID) is its own; another ID is another connect.
        const auto from_source = [&](const ENetPeer& peer) { return half_open(peer) && peer.address.host == from.ip; };
        const auto known = [&](const ENetPeer& peer) {
            return from_source(peer) && peer.address.port == from.port && peer.connectID == connect.connect_id;
        };
        const std::span<const ENetPeer> peers(host_->peers, host_->peerCount);
        if (std::ranges::any_of(peers, known)) return true;
        if (static_cast<size_t>(std::ranges::count_if(peers, from_source)) >= kMostHalfOpenPerSource) return false;
        const auto now = Clock::now();
        if (static_cast<size_t>(std::ranges::count_if(peers, half_open)) < kHalfOpenBeforeCookies ||
            cookies_->answers(from, now))
            return true;
        send_raw(from, encode_punch({PunchKind::cookie, cookies_->cookie_for(from, now)}));
        return false;
    }
    return std::ranges::any_of(punches_, [&](const Punch* punch) { return punch->admits(from, data); });
}

void Endpoint::on_cookie(const PunchPacket& packet, const Address& from) {
    if (packet.kind == PunchKind::cookie_echo) {
        if (listener_ != nullptr) cookies_->take_echo(from, packet.token, Clock::now());
        return;
    }
    // Echoed only to a listener this endpoint is connecting to: nobody else can make it send.
    const auto connecting_there = [&](const ENetPeer& peer) {
        return peer.state == ENET_PEER_STATE_CONNECTING && from_enet(peer.address) == from;
    };
    if (std::ranges::any_of(std::span<const ENetPeer>(host_->peers, host_->peerCount), connecting_there))
        send_raw(from, encode_punch({PunchKind::cookie_echo, packet.token}));
}

void Endpoint::set_aside(Arrival arrival) {
    if (arrivals_.size() < kMostArrivals) arrivals_.push_back(std::move(arrival));
}

// What the intercept set aside, now that ENet has returned and callbacks may
// call back into the transport. Each arrival looks its target up again: the
// one before may have ended a punch or closed the port.
void Endpoint::handle_arrivals() {
    std::vector<Arrival> arrivals;
    arrivals.swap(arrivals_);
    for (const Arrival& arrival : arrivals) {
        if (const auto* punched = std::get_if<PunchArrival>(&arrival)) {
            const auto punch = std::ranges::find_if(
                punches_, [&](const Punch* p) { return same_token(p->token(), punched->packet.token); });
            if (punch != punches_.end()) (*punch)->on_packet(punched->packet.kind, punched->from);
        } else if (const auto& foreign = std::get<Foreign>(arrival); port_ != nullptr) {
            port_->deliver(foreign.from, foreign.bytes);
        }
    }
}

void Endpoint::handle_refusals() {
    std::vector<Refusal> refusals;
    refusals.swap(refusals_);
    for (const Refusal& refusal : refusals) {
        if (refusal.peer->connectID != refusal.connect_id) continue;  // that peer is gone already
        if (auto* owner = static_cast<PeerOwner*>(refusal.peer->data)) owner->refuse(refusal.reason);
    }
}

void Endpoint::handle(const ENetEvent& event) {
    auto* owner = static_cast<PeerOwner*>(event.peer->data);
    switch (event.type) {
    case ENET_EVENT_TYPE_CONNECT:
        if (owner != nullptr) return owner->on_connect();
        return accept(event.peer, event.data);
    case ENET_EVENT_TYPE_RECEIVE:
        if (owner != nullptr) return owner->on_receive(event.packet, event.channelID);
        return enet_packet_destroy(event.packet);
    case ENET_EVENT_TYPE_DISCONNECT:
        event.peer->data = nullptr;  // ENet has reset the slot; it may serve another peer next
        if (owner != nullptr) owner->on_disconnect(event.data);
        return;
    case ENET_EVENT_TYPE_NONE: return;
    }
}

// A connect that passed the intercept and completed ENet's handshake. It is
// checked again: the punch that admitted it may have ended since.
void Endpoint::accept(ENetPeer* peer, uint32_t data) {
    const Address from = from_enet(peer->address);
    if (listener_ != nullptr && data == kPlainConnectData)
        return listener_->hand_over(transport_.adopt(shared_from_this(), peer), from);
    const auto punch = std::ranges::find_if(punches_, [&](const Punch* p) { return p->admits(from, data); });
    if (punch != punches_.end()) return (*punch)->accepted(transport_.adopt(shared_from_this(), peer));
    enet_peer_disconnect_now(peer, kRefusedData);
}

}  // namespace tether::udp
