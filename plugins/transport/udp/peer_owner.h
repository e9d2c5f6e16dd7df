// What an ENet peer's `data` points to: the object that takes the peer's
// events. A connection owns its peer; a connect in progress owns it until
// ENet reports the connection open.
#pragma once

#include <enet/enet.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tether::udp {

class PeerOwner {
public:
    virtual void on_connect() = 0;  // the connect this side started has opened
    virtual void on_receive(ENetPacket* packet, uint8_t channel) = 0;  // takes the packet
    virtual void on_disconnect(uint32_t data) = 0;  // ENet has reset the peer and let go of its packets
    // The largest message accepted now: asked before ENet buffers one.
    virtual uint32_t receive_limit() const = 0;
    // Ends because of what the peer sent (called once ENet has returned).
    virtual void refuse(const std::string& reason) = 0;
    // A datagram of the peer's carrying messages, or pieces of one, reached ENet: `bytes` of it.
    virtual void arrived(size_t bytes) = 0;

protected:
    ~PeerOwner() = default;
};

// Destroys a packet ENet handed over.
struct PacketDeleter {
    void operator()(ENetPacket* packet) const { enet_packet_destroy(packet); }
};
using PacketPtr = std::unique_ptr<ENetPacket, PacketDeleter>;

}  // namespace tether::udp
