// listen(): an endpoint that takes plain connects and hands each connection
// to the host. Closing it stops the accepting; connections already made live
// on, and keep the endpoint's port until the last of them ends.
#pragma once

#include "address.h"

#include <tether/plugin.h>

#include <memory>

namespace tether::udp {

class Endpoint;
class UdpConnection;
class UdpTransport;

class UdpListener {
public:
    UdpListener(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, tether_accept_fn on_accept, void* ctx);
    UdpListener(const UdpListener&) = delete;
    UdpListener& operator=(const UdpListener&) = delete;

    const Address& local_address() const { return local_; }
    // From any thread; once it returns no accept callback runs and the handle is gone.
    void close();

    // ---- network thread ----
    void hand_over(const std::shared_ptr<UdpConnection>& connection, const Address& from);
    void stop();

private:
    UdpTransport& transport_;
    std::shared_ptr<Endpoint> endpoint_;  // until stop()
    const Address local_;
    const tether_accept_fn on_accept_;
    void* const ctx_;
};

}  // namespace tether::udp
