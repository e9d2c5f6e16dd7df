// A listening socket that hands each accepted connection to the host.
#pragma once

#include <tether/plugin.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

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

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

    // From any thread; once it returns no accept callback runs and the handle is gone.
    void close();

    // ---- network thread ----
    void accept_next();
    void stop();

private:
    void on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void hand_over(boost::asio::ip::tcp::socket socket);  // to the host's accept callback
    void retry_later(const std::string& why);

    TcpTransport& transport_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_;  // backs off after a failed accept (out of descriptors)
    tether_accept_fn on_accept_;
    void* ctx_;
    bool stopped_ = false;
};

}  // namespace tether::tcp
