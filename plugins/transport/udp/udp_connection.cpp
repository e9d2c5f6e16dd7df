#include "udp_connection.h"

#include "endpoint.h"
#include "udp_transport.h"
#include "wire.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace tether::udp {
namespace {

// What a packet handed to ENet holds: the host's buffer, whose bytes ENet
// sends in place, given back when ENet frees the packet.

std::string reason_for_disconnect(uint32_t data) {
    switch (data) {
    case 0: return "timed out";  // ENet's own report: the peer stopped answering
    case kRefusedData: return "refused by peer";
    default: return "closed by peer";
    }
}

}  // namespace

UdpConnection::UdpConnection(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, ENetPeer* peer)
    : transport_(transport),
      host_(transport.host()),
      endpoint_(std::move(endpoint)),
      channels_(static_cast<uint32_t>(peer->channelCount)),
      peer_(peer) {
    peer_->data = static_cast<PeerOwner*>(this);
}

UdpConnection::~UdpConnection() {
    // Only the transport's end gets here with a peer: resetting it frees its
    // packets (packet_freed reaches this object, still whole) before anything goes.
    if (peer_ != nullptr) {
        peer_->data = nullptr;
        enet_peer_reset(peer_);
    }
    std::lock_guard lock(mutex_);
    drop_queued();
}

// ---- the ABI's calls ----

void UdpConnection::start(const tether_connection_callbacks& callbacks) {
    // A host built against a shorter struct leaves the newer fields zero.
    tether_connection_callbacks copy{};
    std::memcpy(&copy, &callbacks, std::min<size_t>(callbacks.struct_size, sizeof copy));
    if (transport_.network().is_current()) return begin(copy);
    transport_.network().post([self = shared_from_this(), copy] { self->begin(copy); });
}

void UdpConnection::send(uint32_t channel, uint32_t flags, tether_buffer* message) {
    if (message == nullptr) throw std::invalid_argument("no message to send");
    if (channel >= channels_)
        throw std::invalid_argument("no channel " + std::to_string(channel) + " on this connection (it has " +
                                    std::to_string(channels_) + ")");
    if ((flags & ~uint32_t{TETHER_SEND_UNRELIABLE}) != 0) throw std::invalid_argument("unknown send flags");
    if (message->size > kMaxMessageSize) throw std::length_error(too_large_reason(message->size));
    {
        std::lock_guard lock(mutex_);
        if (!open_) throw std::runtime_error("connection closed: " + closed_reason_);
        queue_.push_back({message, static_cast<uint8_t>(channel), (flags & TETHER_SEND_UNRELIABLE) == 0});
        host_.buffer_ref(message);
        queued_bytes_ += message->size;
        if (flush_posted_) return;
        flush_posted_ = true;
    }
    transport_.network().post([self = shared_from_this()] { self->flush(); });
}

size_t UdpConnection::pending_bytes() const {
    std::lock_guard lock(mutex_);
    return queued_bytes_ + in_enet_.load();
}

void UdpConnection::close() {
    transport_.network().run_and_wait([this] {
        const auto keep = shared_from_this();  // release() may drop the last other reference
        if (!ended()) return finish();
        if (!lingering_) release();
    });
}

// ---- network thread ----

void UdpConnection::begin(const tether_connection_callbacks& callbacks) {
    if (started_) return;
    const auto keep = shared_from_this();
    started_ = true;
    callbacks_ = callbacks;
    if (ended()) return report_closed();  // it ended before the host was listening
    while (!backlog_.empty() && !ended()) {
        const Backlogged next = std::move(backlog_.front());
        backlog_.pop_front();
        backlog_bytes_ -= next.packet->dataLength;
        deliver(*next.packet, next.channel);
    }
}

void UdpConnection::flush() {
    const auto keep = shared_from_this();
    std::deque<Outgoing> batch;
    {
        std::lock_guard lock(mutex_);
        flush_posted_ = false;
        batch.swap(queue_);
    }
    for (const Outgoing& next : batch) {
        const size_t size = next.message->size;
        send_now(next);
        std::lock_guard lock(mutex_);
        queued_bytes_ -= size;
    }
}

void UdpConnection::send_now(const Outgoing& next) {
    if (peer_ == nullptr) return host_.buffer_unref(next.message);  // ended meanwhile
    auto held = std::make_unique<Held>(Held{this, next.message});
    const uint32_t flags = ENET_PACKET_FLAG_NO_ALLOCATE |
                           (next.reliable ? ENET_PACKET_FLAG_RELIABLE : ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT);
    ENetPacket* packet = enet_packet_create(next.message->data, next.message->size, flags);
    if (packet == nullptr) {
        host_.buffer_unref(next.message);
        return end("out of memory");  // a lost message would break the stream
    }
    packet->userData = held.release();
    packet->freeCallback = &UdpConnection::packet_freed;
    in_enet_ += next.message->size;
    // ENet refuses a peer that is no longer connected; freeing the packet gives the buffer back.
    if (enet_peer_send(peer_, next.channel, packet) != 0) enet_packet_destroy(packet);
}

void UdpConnection::packet_freed(ENetPacket* packet) {
    const std::unique_ptr<Held> held(static_cast<Held*>(packet->userData));
    held->connection->in_enet_ -= held->message->size;
    held->connection->host_.buffer_unref(held->message);
}

void UdpConnection::on_receive(ENetPacket* packet, uint8_t channel) {
    PacketPtr owned(packet);
    if (ended()) return;
    if (started_) return deliver(*owned, channel);
    // Before start() the host is not listening yet: hold a little.
    backlog_bytes_ += owned->dataLength;
    backlog_.push_back({std::move(owned), channel});
    if (backlog_.size() > kMostBacklogged || backlog_bytes_ > kBeforeStartLimit)
        end("the peer sent more than " + std::to_string(kBeforeStartLimit) + " bytes before the connection started");
}

void UdpConnection::deliver(const ENetPacket& packet, uint8_t channel) {
    const auto keep = shared_from_this();  // a callback may close the connection
    const uint32_t limit = receive_limit();
    if (packet.dataLength > limit) return end(too_large_reason(packet.dataLength, limit));
    const bool reliable = (packet.flags & ENET_PACKET_FLAG_RELIABLE) != 0;
    if (callbacks_.on_channel_message != nullptr)
        return callbacks_.on_channel_message(callbacks_.ctx, channel, reliable ? 0 : TETHER_SEND_UNRELIABLE,
                                             packet.data, packet.dataLength);
    // A host without channels takes the reliable stream of channel 0 alone.
    if (channel == 0 && reliable && callbacks_.on_message != nullptr)
        callbacks_.on_message(callbacks_.ctx, packet.data, packet.dataLength);
}

uint32_t UdpConnection::receive_limit() const {
    if (!started_) return kBeforeStartLimit;
    // Ended: the host hears nothing more (what comes is dropped), and a
    // lingering goodbye needs the peer's acknowledgements, whatever rides with them.
    if (ended() || callbacks_.max_message_size == nullptr) return kMaxMessageSize;
    return std::min(callbacks_.max_message_size(callbacks_.ctx), kMaxMessageSize);
}

void UdpConnection::refuse(const std::string& reason) {
    if (!lingering_) end(reason);
}

void UdpConnection::on_disconnect(uint32_t data) {
    const auto keep = shared_from_this();
    peer_ = nullptr;  // ENet has reset it, and freed its packets
    if (!lingering_) return end(reason_for_disconnect(data));
    lingering_ = false;  // the goodbye went through
    release();
}

void UdpConnection::end(const std::string& reason) {
    if (ended()) return;
    const auto keep = shared_from_this();
    end_reason_ = reason;
    {
        std::lock_guard lock(mutex_);
        open_ = false;
        closed_reason_ = reason;
        drop_queued();
    }
    backlog_.clear();
    backlog_bytes_ = 0;
    if (peer_ != nullptr) {
        // This side ends it (a message over the limit): tell the peer, let go of the slot.
        peer_->data = nullptr;
        enet_peer_disconnect_now(std::exchange(peer_, nullptr), kRefusedData);
    }
    report_closed();
}

void UdpConnection::finish() {
    end_reason_ = "closed locally";
    {
        std::lock_guard lock(mutex_);
        open_ = false;
        closed_reason_ = *end_reason_;
    }
    report_closed();
    if (peer_ == nullptr) return release();
    flush();  // what the host sent before closing goes first
    if (peer_ == nullptr) return release();
    enet_peer_disconnect_later(peer_, kGoodbyeData);
    lingering_ = true;
    linger_for(kLingerTime);
}

void UdpConnection::shut_down(std::chrono::milliseconds grace) {
    if (!ended()) finish();
    if (lingering_) linger_for(grace);
}

void UdpConnection::linger_for(std::chrono::milliseconds time) {
    const uint64_t round = ++linger_round_;
    transport_.network().at(Clock::now() + time, [weak = weak_from_this(), round] {
        const auto self = weak.lock();
        if (self == nullptr || !self->lingering_ || self->linger_round_ != round) return;
        // The peer took too long to take the rest: drop it.
        self->lingering_ = false;
        self->peer_->data = nullptr;
        enet_peer_reset(std::exchange(self->peer_, nullptr));
        self->release();
    });
}

void UdpConnection::report_closed() {
    if (!started_ || closed_reported_) return;
    closed_reported_ = true;
    // The last callback: the host may free what ctx points to once it has run.
    const tether_connection_callbacks last = std::exchange(callbacks_, {});
    if (last.on_closed != nullptr) last.on_closed(last.ctx, end_reason_->c_str());
}

void UdpConnection::release() { transport_.forget(*this); }

void UdpConnection::drop_queued() {
    for (const Outgoing& next : queue_) host_.buffer_unref(next.message);
    queue_.clear();
    queued_bytes_ = 0;
}

}  // namespace tether::udp
