#include "relay_answer.h"

#include <sys/socket.h>

namespace tether::server {

bool send_relay_answer(boost::asio::ip::tcp::socket& socket, Framing framing, bool paired, const std::string& refused) {
    proto::RendezvousMessage message;
    auto* answer = message.mutable_relay_answer();
    answer->set_paired(paired);
    answer->set_refused(refused);
    const auto bytes = framed(framing, message);
    const ssize_t sent = ::send(socket.native_handle(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent == static_cast<ssize_t>(bytes.size());
}

}  // namespace tether::server
