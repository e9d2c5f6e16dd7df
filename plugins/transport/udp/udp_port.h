// open_port(): an endpoint the host speaks to its rendezvous server through
// (port_send, on_datagram) and punches from. Several punches may run on it at
// once, one per token; the connections they make live on after the port closes.
#pragma once

#include "address.h"

#include <tether/plugin.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace tether::udp {

class Endpoint;
class Punch;
class UdpConnection;
class UdpTransport;

class UdpPort {
public:
    UdpPort(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, tether_datagram_fn on_datagram, void* ctx);
    UdpPort(const UdpPort&) = delete;
    UdpPort& operator=(const UdpPort&) = delete;

    const Address& local_address() const { return local_; }

    // ---- the ABI's calls, from any thread ----
    // Throws when the port is closed or the kernel refuses the datagram.
    void send(const Address& to, std::span<const uint8_t> bytes);
    // Blocks until the punch opens a connection, times out or the port closes; throws with why.
    UdpConnection* punch(const tether_punch_plan& plan);
    // Ends the punches in progress and lets go of the socket; no on_datagram
    // call runs once it returns. The object itself stays until the transport
    // goes, so that a punch racing this close finds it closed, not freed.
    void close();

    // ---- network thread ----
    void deliver(const Address& from, std::span<const uint8_t> bytes);
    void stop(const std::string& reason);  // close(), on the network thread

private:
    UdpTransport& transport_;
    const Address local_;
    const int fd_;  // the endpoint's socket, for send() from any thread while open_
    const tether_datagram_fn on_datagram_;
    void* const ctx_;

    std::mutex mutex_;  // send() against close()
    bool open_ = true;

    // Network thread only.
    std::shared_ptr<Endpoint> endpoint_;  // until closed
    std::vector<std::shared_ptr<Punch>> punches_;
};

}  // namespace tether::udp
