// One UDP socket and the ENet host on it. Datagrams that arrive are sorted
// before ENet sees them (ENet's intercept): punch packets go to the punches
// running here, a stranger's connect and a message over its receiver's limit
// are dropped, ENet traffic of this host's peers goes to ENet, and the rest
// goes to the port's on_datagram. An endpoint lives while anything uses it:
// its listener or port, a punch, a connection on one of its peers.
#pragma once

#include "address.h"
#include "connect_cookie.h"
#include "enet_datagram.h"
#include "network_thread.h"
#include "punch_packet.h"
#include "udp_socket.h"

#include <enet/enet.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace tether::udp {

class PeerOwner;
class Punch;
class UdpListener;
class UdpPort;
class UdpTransport;

class Endpoint : public Readable, public std::enable_shared_from_this<Endpoint> {
public:
    // Takes the socket over; `peers`: how many connections it holds at most.
    // Throws when ENet cannot make a host.
    Endpoint(UdpTransport& transport, UdpSocket socket, size_t peers);
    ~Endpoint();
    Endpoint(const Endpoint&) = delete;
    Endpoint& operator=(const Endpoint&) = delete;

    const Address& local_address() const { return local_; }
    int fd() const { return host_->socket; }  // constant while the endpoint lives
    std::error_code send_raw(const Address& to, std::span<const uint8_t> bytes, int ttl = 0) const {
        return UdpSocket::send_to(fd(), to, bytes, ttl);
    }

    // ---- network thread ----
    // Starts an ENet connect from here, its events to `owner`; nullptr when no slot is free.
    ENetPeer* connect(const Address& to, uint32_t data, PeerOwner& owner);
    void serve_listener(UdpListener* listener) {
        listener_ = listener;
        if (listener != nullptr && !cookies_) cookies_.emplace();  // only a listener answers strangers' connects
    }
    void serve_port(UdpPort* port) { port_ = port; }
    void add_punch(Punch& punch) { punches_.push_back(&punch); }
    void remove_punch(Punch& punch);
    // Runs ENet until it has nothing more to report; returns when ENet next
    // needs a visit (its retransmissions, pings and timeouts).
    Clock::time_point service(Clock::time_point now);
    // Readable: the wake-up is enough, service() follows it.
    void on_readable() override {}
    bool paused() const override { return paused_; }

private:
    struct PunchArrival {
        PunchPacket packet;
        Address from;
    };
    struct Foreign {
        Address from;
        std::vector<uint8_t> bytes;
    };
    struct Refusal {
        ENetPeer* peer;
        uint32_t connect_id;  // tells a reused slot from the peer it was
        std::string reason;
    };
    using Arrival = std::variant<PunchArrival, Foreign>;
    static constexpr size_t kMostArrivals = 256;  // set aside between two handlings; more are dropped

    static int intercept(ENetHost* host, ENetEvent* event);
    int sort(std::span<const uint8_t> datagram, const Address& from);
    bool admits(const Address& from, const EnetDatagram& connect);
    void on_cookie(const PunchPacket& packet, const Address& from);
    void set_aside(Arrival arrival);
    void handle_arrivals();
    void handle_refusals();
    void handle(const ENetEvent& event);
    void accept(ENetPeer* peer, uint32_t data);
    Clock::time_point next_visit(Clock::time_point now) const;

    UdpTransport& transport_;
    ENetHost* host_ = nullptr;
    Address local_;
    UdpListener* listener_ = nullptr;
    UdpPort* port_ = nullptr;
    std::vector<Punch*> punches_;
    std::optional<ConnectCookies> cookies_;  // a listener's
    std::vector<Arrival> arrivals_;
    std::vector<Refusal> refusals_;
    bool paused_ = false;  // ENet kept failing: wait for the next visit rather than the socket
};

}  // namespace tether::udp
