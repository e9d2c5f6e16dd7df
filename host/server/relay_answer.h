// The relay's one message to a peer: RelayAnswer{paired} or RelayAnswer{refused}.
#pragma once

#include "peer_framing.h"

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace tether::server {

// Sends the message at once, in the peer's framing, without waiting: it is
// the first thing the relay writes on a connection (after a WebSocket
// upgrade's answer, which has left), so the empty send buffer takes it
// whole. False when the socket would not take it all (the peer is gone).
bool send_relay_answer(boost::asio::ip::tcp::socket& socket, Framing framing, bool paired,
                       const std::string& refused = {});

}  // namespace tether::server
