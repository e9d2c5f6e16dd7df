// One connection: an ENet peer with its two channels. send() may come from
// any thread and meets the network thread at the outgoing queue; ENet, the
// peer and the callbacks belong to the network thread. The connection ends
// exactly once: the peer said goodbye or timed out, it sent too much, or the
// host closed it; in the last case what was queued still goes out first.
#pragma once

#include "peer_owner.h"

#include <tether/plugin.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tether::udp {

class Endpoint;
class UdpTransport;

class UdpConnection : public PeerOwner, public std::enable_shared_from_this<UdpConnection> {
public:
    // Takes the peer over (its `data` points here from now on).
    UdpConnection(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, ENetPeer* peer);
    ~UdpConnection();
    UdpConnection(const UdpConnection&) = delete;
    UdpConnection& operator=(const UdpConnection&) = delete;

    // ---- the ABI's calls, from any thread ----
    void start(const tether_connection_callbacks& callbacks);
    // Queues one message with a reference of its own; throws when closed, too
    // large, or on a channel or with flags this transport does not have.
    void send(uint32_t channel, uint32_t flags, tether_buffer* message);
    // Bytes queued here and those ENet holds: not yet sent, or reliable and unacknowledged.
    size_t pending_bytes() const;
    // Ends the connection if it has not ended (on_closed before it returns)
    // and gives up the handle. What was sent before still goes out, for at
    // most kLingerTime, then ENet says goodbye.
    void close();

    // ---- network thread ----
    // The transport is going: say goodbye within `grace`.
    void shut_down(std::chrono::milliseconds grace);
    bool lingering() const { return lingering_; }

    void on_connect() override {}
    void on_receive(ENetPacket* packet, uint8_t channel) override;
    void on_disconnect(uint32_t data) override;
    uint32_t receive_limit() const override;
    void refuse(const std::string& reason) override;
    void arrived(size_t bytes) override { received_bytes_ += bytes; }
    // Bytes of datagrams carrying messages, whole or in pieces, that arrived: from any thread.
    uint64_t received_bytes() const { return received_bytes_; }

private:
    struct Outgoing {
        tether_buffer* message;
        uint8_t channel;
        bool reliable;
    };
    struct Backlogged {
        PacketPtr packet;
        uint8_t channel;
    };
    // How long a connection the host closed may take to deliver its queue.
    static constexpr std::chrono::seconds kLingerTime{2};
    static constexpr size_t kMostBacklogged = 64;  // messages before start()

    void begin(const tether_connection_callbacks& callbacks);
    // What a packet handed to ENet holds: the host's buffer, whose bytes ENet
    // sends in place, given back when ENet frees the packet.
    struct Held {
        UdpConnection* connection;  // whole while ENet holds its peer's packets (see ~UdpConnection)
        tether_buffer* message;
    };
    void flush();  // hands the queue to ENet
    void send_now(const Outgoing& next);
    void deliver(const ENetPacket& packet, uint8_t channel);
    void end(const std::string& reason);  // ends it on this side: on_closed, the peer let go
    void finish();                        // the host's close: on_closed, goodbye, linger
    void linger_for(std::chrono::milliseconds time);
    void report_closed();
    void release();  // the transport lets go of it
    bool ended() const { return end_reason_.has_value(); }
    void drop_queued();  // mutex_ held
    static void packet_freed(ENetPacket* packet);

    UdpTransport& transport_;
    const tether_host_api& host_;
    const std::shared_ptr<Endpoint> endpoint_;
    const uint32_t channels_;

    // Network thread only.
    ENetPeer* peer_;
    tether_connection_callbacks callbacks_{};
    bool started_ = false;
    bool closed_reported_ = false;
    bool lingering_ = false;
    uint64_t linger_round_ = 0;  // tells a timer whether it is the latest
    std::optional<std::string> end_reason_;
    std::deque<Backlogged> backlog_;
    size_t backlog_bytes_ = 0;

    // Shared with send() and pending_bytes().
    mutable std::mutex mutex_;
    std::deque<Outgoing> queue_;
    size_t queued_bytes_ = 0;
    bool flush_posted_ = false;
    bool open_ = true;  // send() accepts messages
    std::string closed_reason_;
    std::atomic<size_t> in_enet_{0};  // bytes of packets ENet has not yet freed
    std::atomic<uint64_t> received_bytes_{0};
};

}  // namespace tether::udp
