// Outbound connection set-up: resolve, then connect to the first address
// that answers, both within one deadline.
#pragma once

#include "host_port.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <optional>

namespace tether::transport {

// Dialing from a fixed local port (ABI 1.5 connect_from): the port is shared
// with a listener on it, and the first SYN may go with a small TTL so that it
// opens this side's NAT mapping without reaching the peer's NAT; the dial then
// starts again with the system's TTL from the same port (docs/connectivity.md).
struct DialFrom {
    boost::asio::ip::tcp::endpoint local;
    uint32_t first_ttl = 0;  // 0: the system's from the start
};

// Runs the attempt on `io`'s thread and blocks the calling thread, which must
// not be that thread, until it ends. timeout_ms 0 waits as long as the system
// does. Throws std::runtime_error with the reason on failure.
boost::asio::ip::tcp::socket dial(boost::asio::io_context& io, const HostPort& target, uint32_t timeout_ms,
                                  const std::optional<DialFrom>& from = std::nullopt);

}  // namespace tether::transport
