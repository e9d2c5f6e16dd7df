// A listening socket that hands each accepted connection to the host.
#pragma once

#include "socket_acceptor.h"

#include <tether/plugin.h>

#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace tether::tcp {

class TcpTransport;

class TcpListener : public std::enable_shared_from_this<TcpListener> {
public:
    // Binds and listens at once, so that errors reach the caller; throws
    // std::runtime_error with the reason.
    TcpListener(TcpTransport& transport, const boost::asio::ip::tcp::endpoint& endpoint, tether_accept_fn on_accept,
                void* ctx);
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_->local_endpoint(); }

    // From any thread; once it returns no accept callback runs and the handle is gone.
    void close();

    // ---- network thread ----
    void accept_next() { acceptor_->accept_next(); }
    void stop() { acceptor_->stop(); }

private:
    void hand_over(boost::asio::ip::tcp::socket socket);  // to the host's accept callback

    TcpTransport& transport_;
    tether_accept_fn on_accept_;
    void* ctx_;
    std::shared_ptr<transport::SocketAcceptor> acceptor_;
};

}  // namespace tether::tcp
