// The relay's one frame to a peer: RelayAnswer{paired} or RelayAnswer{refused}.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace tether::server {

// Sends the frame at once, without waiting: it is the first thing the relay
// writes on a connection, so the empty send buffer takes it whole. False when
// the socket would not take it all (the peer is gone).
bool send_relay_answer(boost::asio::ip::tcp::socket& socket, bool paired, const std::string& refused = {});

}  // namespace tether::server
