#include "probe_socket.h"

#include "punch.h"

#include <array>

namespace tether::udp {

ProbeSocket::ProbeSocket(NetworkThread& network, Punch& punch, UdpSocket socket)
    : network_(network), punch_(punch), socket_(std::move(socket)) {
    network_.watch(socket_.fd(), *this);
}

ProbeSocket::~ProbeSocket() {
    if (watched_) network_.unwatch(socket_.fd());
}

UdpSocket ProbeSocket::take() {
    network_.unwatch(socket_.fd());
    watched_ = false;
    return std::move(socket_);
}

void ProbeSocket::on_readable() {
    std::array<uint8_t, kPunchPacketSize> buffer{};
    for (int i = 0; i < kMostPerWake; ++i) {
        const auto received = socket_.receive(buffer);
        if (!received) return;
        if (received->truncated) continue;
        const auto packet = decode_punch(std::span(buffer.data(), received->size));
        if (!packet || !same_token(packet->token, punch_.token())) continue;
        Punch& punch = punch_;
        return punch.on_socket_packet(*this, packet->kind, received->from);  // nothing of this object after it
    }
}

}  // namespace tether::udp
