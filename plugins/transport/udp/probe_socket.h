// One of the sockets an OPEN_SOCKETS punch opens: it keeps a NAT mapping of
// its own open toward the peer and listens for the peer's probe. Only this
// punch's packets count; anything else is read and dropped.
#pragma once

#include "network_thread.h"
#include "punch_packet.h"
#include "udp_socket.h"

#include <span>
#include <system_error>

namespace tether::udp {

class Punch;

class ProbeSocket : public Readable {
public:
    ProbeSocket(NetworkThread& network, Punch& punch, UdpSocket socket);
    ~ProbeSocket();
    ProbeSocket(const ProbeSocket&) = delete;
    ProbeSocket& operator=(const ProbeSocket&) = delete;

    std::error_code send(const Address& to, const PunchBytes& bytes, int ttl) const {
        return socket_.send_to(to, bytes, ttl);
    }
    // The socket, for the path it opened; this object only waits to be destroyed.
    UdpSocket take();
    // Hands the first packet of this punch to it, which may destroy this object.
    void on_readable() override;

private:
    static constexpr int kMostPerWake = 16;  // the rest waits for the next wake-up

    NetworkThread& network_;
    Punch& punch_;
    UdpSocket socket_;
    bool watched_ = true;
};

}  // namespace tether::udp
