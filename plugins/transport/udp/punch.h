// One punch: opens a path to the peer by its plan and a connection over it.
//
// Both sides send probes; a side that receives one with the punch's token
// answers to the address it came from, which becomes a path (peer-reflexive:
// it wins even when it is not the address the plan named). The dialer opens
// an ENet connection to the first path that answers it; the acceptor admits
// a connect only from a path it heard and only with the token's word.
//   DIRECT        probes go to the peer's address, the first ones with
//                 first_ttl (they open this side's NAT mapping and die
//                 before the peer's NAT), then with the system's TTL.
//   PROBE_PORTS   probes go to random ports of the peer's IP, in an order
//                 without repeats, at most probes_per_second, until a path answers.
//   OPEN_SOCKETS  `sockets` new sockets each open a mapping toward the peer
//                 with first_ttl packets only; the first one a probe reaches
//                 becomes the path's ENet host, the others close.
// A punch ends with a connection, at its timeout, or when cancelled, and
// closes every socket of its own that did not become the path.
#pragma once

#include "address.h"
#include "network_thread.h"
#include "punch_packet.h"
#include "punch_plan.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace tether::udp {

class Dial;
class Endpoint;
class ProbeSocket;
class UdpConnection;
class UdpTransport;

class Punch : public std::enable_shared_from_this<Punch> {
public:
    // Exactly one call: the connection, or null and why not.
    using Done = std::function<void(const std::shared_ptr<Punch>& punch, std::shared_ptr<UdpConnection> connection,
                                    const std::string& error)>;

    // `port`: the endpoint of the port the punch runs on.
    Punch(UdpTransport& transport, std::shared_ptr<Endpoint> port, const PunchPlan& plan, Done done);
    ~Punch();
    Punch(const Punch&) = delete;
    Punch& operator=(const Punch&) = delete;

    const Token& token() const { return plan_.token; }

    // ---- network thread ----
    void start();
    void cancel(const std::string& reason) { fail(reason); }
    // A connect from `from` carrying `data`: this acceptor's peer on a path it heard.
    bool admits(const Address& from, uint32_t data) const;
    void accepted(std::shared_ptr<UdpConnection> connection) { succeed(std::move(connection)); }
    // A packet of this punch that came to the path's endpoint.
    void on_packet(PunchKind kind, const Address& from);
    // One that came to an OPEN_SOCKETS socket, which wins (and is destroyed here).
    void on_socket_packet(ProbeSocket& socket, PunchKind kind, const Address& from);

private:
    void tick();
    void probe_paths(Clock::time_point now);
    void sweep(Clock::time_point now);
    Clock::time_point next_sweep() const;
    void refresh_sockets();
    void open_sockets();
    void promote(ProbeSocket& winner);
    void hear(const Address& from);
    void send(const Address& to, PunchKind kind, int ttl);
    void note(std::error_code error);
    void dial(const Address& to);
    void dialed(std::shared_ptr<UdpConnection> connection, const std::string& error);
    void succeed(std::shared_ptr<UdpConnection> connection);
    void fail(const std::string& reason);
    void finish(std::shared_ptr<UdpConnection> connection, const std::string& error);
    std::string timeout_reason() const;

    UdpTransport& transport_;
    const uint32_t bind_ip_;  // where OPEN_SOCKETS binds its sockets: the port's own address
    const PunchPlan plan_;
    Done done_;

    std::shared_ptr<Endpoint> endpoint_;  // the path's: the port's, or the socket that won
    std::vector<std::unique_ptr<ProbeSocket>> sockets_;  // OPEN_SOCKETS, until one wins
    std::vector<Address> heard_;  // where this punch's packets came from: the paths
    std::shared_ptr<Dial> dial_;  // the dialer's connect over a path that answered
    std::vector<uint16_t> ports_;  // PROBE_PORTS: shuffled as it goes
    size_t swept_ = 0;
    std::mt19937 random_;
    Clock::time_point started_, deadline_, next_probe_, next_refresh_;
    uint64_t round_ = 0;  // the current chain of ticks
    std::error_code send_error_;  // the last send the kernel refused, for the reason on timeout
    bool finished_ = false;
};

}  // namespace tether::udp
