// One transport instance: a network thread and every endpoint, listener,
// port, connect and connection made through it. The handles given to the
// host are raw pointers to objects the maps here keep alive until the host
// closes them (ports: until the transport goes).
#pragma once

#include "endpoint.h"
#include "network_thread.h"

#include <tether/plugin.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tether::udp {

class Dial;
class UdpConnection;
class UdpListener;
class UdpPort;

class UdpTransport final : private NetworkThread::Driver {
public:
    explicit UdpTransport(const tether_host_api* host);
    // Ends every punch, says goodbye on every connection (within kGoodbyeGrace), joins the thread.
    ~UdpTransport();
    UdpTransport(const UdpTransport&) = delete;
    UdpTransport& operator=(const UdpTransport&) = delete;

    // ---- the ABI's calls; each writes the bound address into `bound` when it is not empty ----
    UdpListener* listen(std::string_view address, tether_accept_fn on_accept, void* ctx, std::span<char> bound);
    void close_listener(UdpListener* listener);
    // Blocks; never on the network thread. Throws on failure.
    UdpConnection* connect(std::string_view address, uint32_t timeout_ms);
    UdpPort* open_port(const tether_port_config& config, std::span<char> bound);

    NetworkThread& network() { return network_; }
    const tether_host_api& host() const { return host_; }

    // ---- network thread ----
    std::shared_ptr<Endpoint> make_endpoint(UdpSocket socket, size_t peers);
    void enroll(Endpoint& endpoint) { endpoints_.push_back(&endpoint); }
    void withdraw(Endpoint& endpoint) { std::erase(endpoints_, &endpoint); }
    std::shared_ptr<UdpConnection> adopt(std::shared_ptr<Endpoint> endpoint, ENetPeer* peer);
    void forget(UdpConnection& connection) { connections_.erase(&connection); }

private:
    static constexpr std::chrono::milliseconds kGoodbyeGrace{250};
    static constexpr size_t kPeersPerEndpoint = 64;  // connections one listener or port holds at once

    Clock::time_point serve(Clock::time_point now) override;
    bool finished(Clock::time_point now) override;
    void teardown() override;

    const tether_host_api& host_;
    NetworkThread network_;
    std::vector<Endpoint*> endpoints_;
    std::unordered_map<UdpConnection*, std::shared_ptr<UdpConnection>> connections_;
    std::unordered_map<UdpListener*, std::shared_ptr<UdpListener>> listeners_;
    std::unordered_map<UdpPort*, std::shared_ptr<UdpPort>> ports_;
    std::unordered_map<Dial*, std::shared_ptr<Dial>> dials_;
    Clock::time_point shutdown_deadline_ = Clock::time_point::max();
};

}  // namespace tether::udp
