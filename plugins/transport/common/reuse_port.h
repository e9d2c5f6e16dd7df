// SO_REUSEPORT as an Asio option: listeners set it so that a dial from their
// own port (connect_from, a simultaneous open through NATs) can share it.
#pragma once

#include <boost/asio/socket_base.hpp>

#include <sys/socket.h>

namespace tether::transport {

using ReusePort = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace tether::transport
