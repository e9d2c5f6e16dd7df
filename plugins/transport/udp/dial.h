// An ENet connect in progress from an endpoint: connect()'s, or the one a
// punch makes over the path it opened. It owns the ENet peer until ENet
// reports the connection open, then hands it to a new connection.
#pragma once

#include "address.h"
#include "peer_owner.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tether::udp {

class Endpoint;
class UdpConnection;
class UdpTransport;

class Dial : public PeerOwner, public std::enable_shared_from_this<Dial> {
public:
    // Exactly one call: the connection, or null and why not.
    using Done = std::function<void(std::shared_ptr<UdpConnection>, const std::string& error)>;

    Dial(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, const Address& target, uint32_t data);
    ~Dial();
    Dial(const Dial&) = delete;
    Dial& operator=(const Dial&) = delete;

    // ---- network thread ----
    // `done` runs once, when the connect ends either way. Throws when the endpoint has no free slot.
    void start(Done done);
    void cancel(const std::string& reason);

    void on_connect() override;
    void on_receive(ENetPacket* packet, uint8_t channel) override;
    void on_disconnect(uint32_t data) override;
    uint32_t receive_limit() const override;
    void refuse(const std::string& reason) override { cancel(reason); }
    void arrived(size_t) override {}  // counted by the connection, from its start

private:
    void finish(std::shared_ptr<UdpConnection> connection, const std::string& error);

    UdpTransport& transport_;
    const std::shared_ptr<Endpoint> endpoint_;
    const Address target_;
    const uint32_t data_;
    Done done_;
    ENetPeer* peer_ = nullptr;
};

}  // namespace tether::udp
