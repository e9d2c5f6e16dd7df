#include "relay_answer.h"

#include "rendezvous/wire.h"

#include <sys/socket.h>

namespace tether::server {

bool send_relay_answer(boost::asio::ip::tcp::socket& socket, bool paired, const std::string& refused) {
    proto::RendezvousMessage message;
    auto* answer = message.mutable_relay_answer();
    answer->set_paired(paired);
    answer->set_refused(refused);
    const auto frame = rendezvous::encode_frame(message);
    const ssize_t sent = ::send(socket.native_handle(), frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent == static_cast<ssize_t>(frame.size());
}

}  // namespace tether::server
