// The TCP transport: connections framed with a 4-byte length (wire_format.h).
#pragma once

#include "dialer.h"
#include "plugin_log.h"
#include "socket_transport.h"
#include "tcp_connection.h"
#include "tcp_listener.h"

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tether::tcp {

class TcpTransport : public transport::SocketTransport<TcpConnection, TcpListener> {
public:
    using Listener = TcpListener;
    using Connection = TcpConnection;
    static constexpr const char* kPluginName = tcp::kPluginName;

    explicit TcpTransport(const tether_host_api* host) : SocketTransport(host, kPluginName) {}

    // Writes the bound address into `bound` (when it is not empty). Throws on failure.
    TcpListener* listen(std::string_view address, tether_accept_fn on_accept, void* ctx, std::span<char> bound);
    // Blocks; never on the network thread. Throws on failure.
    TcpConnection* connect(std::string_view address, uint32_t timeout_ms);
    // connect() from `local` (ABI 1.5 connect_from; dialer.h's DialFrom).
    TcpConnection* connect_from(std::string_view local, std::string_view address, uint32_t first_ttl,
                                uint32_t timeout_ms);

private:
    TcpConnection* dial(std::string_view address, uint32_t timeout_ms, const std::optional<transport::DialFrom>& from);
};

}  // namespace tether::tcp
