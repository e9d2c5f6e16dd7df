// A listening socket on a transport's network thread: binds at once (so that
// errors reach the caller), accepts for as long as it is not stopped, and
// backs off after a failed accept (out of descriptors) instead of spinning.
// What a transport does with each socket is its own: `on_socket`.
#pragma once

#include "host_port.h"
#include "network_thread.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <string>

namespace tether::transport {

class SocketAcceptor : public std::enable_shared_from_this<SocketAcceptor> {
public:
    using SocketFn = std::function<void(boost::asio::ip::tcp::socket)>;

    // Throws std::runtime_error with the reason when it cannot listen.
    // `share_with_dials`: this transport's own dials from the port
    // (connect_from) may share it; nobody else may.
    SocketAcceptor(NetworkThread& network, const boost::asio::ip::tcp::endpoint& endpoint, SocketFn on_socket,
                   const char* plugin, bool share_with_dials = false);
    SocketAcceptor(const SocketAcceptor&) = delete;
    SocketAcceptor& operator=(const SocketAcceptor&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

    // ---- network thread ----
    void accept_next();
    // No on_socket call runs after it.
    void stop();

private:
    void on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void retry_later(const std::string& why);

    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_;
    SocketFn on_socket_;
    const char* plugin_;
    bool stopped_ = false;
};

// The endpoint to listen on for "host:port" (empty host: every address).
boost::asio::ip::tcp::endpoint resolve_listen_endpoint(boost::asio::io_context& io, const HostPort& where);

}  // namespace tether::transport
