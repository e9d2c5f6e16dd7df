// Outbound connection set-up: resolve, then connect to the first address
// that answers, both within one deadline.
#pragma once

#include "address.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>

namespace tether::tcp {

// Runs the attempt on `io`'s thread and blocks the calling thread, which must
// not be that thread, until it ends. timeout_ms 0 waits as long as the system
// does. Throws std::runtime_error with the reason on failure.
boost::asio::ip::tcp::socket dial(boost::asio::io_context& io, const HostPort& target, uint32_t timeout_ms);

}  // namespace tether::tcp
