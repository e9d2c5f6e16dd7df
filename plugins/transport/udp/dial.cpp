#include "dial.h"

#include "endpoint.h"
#include "udp_transport.h"
#include "wire.h"

#include <stdexcept>
#include <utility>

namespace tether::udp {

Dial::Dial(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, const Address& target, uint32_t data)
    : transport_(transport), endpoint_(std::move(endpoint)), target_(target), data_(data) {}

Dial::~Dial() {
    if (peer_ != nullptr) {
        peer_->data = nullptr;
        enet_peer_reset(peer_);
    }
}

void Dial::start(Done done) {
    done_ = std::move(done);
    peer_ = endpoint_->connect(target_, data_, *this);
    if (peer_ == nullptr) throw std::runtime_error("no free ENet slot to connect from");
}

void Dial::cancel(const std::string& reason) {
    if (peer_ != nullptr) {
        peer_->data = nullptr;
        enet_peer_reset(std::exchange(peer_, nullptr));
    }
    finish(nullptr, reason);
}

void Dial::on_connect() {
    // The connection takes the peer over.
    auto connection = transport_.adopt(endpoint_, std::exchange(peer_, nullptr));
    finish(std::move(connection), {});
}

void Dial::on_receive(ENetPacket* packet, uint8_t) {
    enet_packet_destroy(packet);  // ENet reports the connection open before its first message
}

void Dial::on_disconnect(uint32_t data) {
    peer_ = nullptr;
    finish(nullptr, (data == kRefusedData ? "refused by " : "no connection from ") + format_address(target_));
}

uint32_t Dial::receive_limit() const { return kBeforeStartLimit; }

void Dial::finish(std::shared_ptr<UdpConnection> connection, const std::string& error) {
    if (!done_) return;
    const auto keep = shared_from_this();  // whoever holds it may let go in done_
    std::exchange(done_, nullptr)(std::move(connection), error);
}

}  // namespace tether::udp
