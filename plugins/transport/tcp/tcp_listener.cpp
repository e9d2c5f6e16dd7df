#include "tcp_listener.h"

#include "address.h"
#include "plugin_log.h"
#include "reuse_port.h"
#include "tcp_transport.h"

#include <boost/asio/error.hpp>

#include <chrono>
#include <stdexcept>

namespace tether::tcp {
namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

}  // namespace

TcpListener::TcpListener(TcpTransport& transport, const boost::asio::ip::tcp::endpoint& endpoint,
                         tether_accept_fn on_accept, void* ctx)
    : transport_(transport),
      acceptor_(transport.network().context()),
      retry_(transport.network().context()),
      on_accept_(on_accept),
      ctx_(ctx) {
    boost::system::error_code ec;
    const auto check = [&](const char* step) {
        if (ec) throw std::runtime_error(std::string(step) + " " + format_endpoint(endpoint) + ": " + ec.message());
    };
    const auto bind = [&](boost::asio::ip::tcp::acceptor& acceptor, bool share) {
        acceptor.open(endpoint.protocol(), ec);
        check("cannot open a socket for");
        // A restarted host can take its port back while old connections linger in TIME_WAIT.
        acceptor.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true), ec);
        check("cannot set SO_REUSEADDR for");
        acceptor.set_option(ReusePort(share), ec);
        check("cannot set SO_REUSEPORT for");
        acceptor.bind(endpoint, ec);
        check("cannot bind");
    };
    // The port is shared only with this transport's own dials from it
    // (connect_from): a first bind without sharing proves nobody holds it, so a
    // second host on one port still fails with "address in use".
    if (endpoint.port() != 0) {
        boost::asio::ip::tcp::acceptor alone(transport.network().context());
        bind(alone, false);
    }
    bind(acceptor_, true);
    acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    check("cannot listen on");
}

void TcpListener::close() {
    transport_.network().run_and_wait([this] {
        const auto keep = shared_from_this();  // forget() may drop the last other reference
        stop();
        transport_.forget(this);
    });
}

void TcpListener::accept_next() {
    try {
        acceptor_.async_accept(
            [self = shared_from_this()](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
                self->on_accepted(ec, std::move(socket));
            });
    } catch (const std::exception& e) {
        retry_later(std::string("cannot wait for a connection: ") + e.what());
    }
}

void TcpListener::retry_later(const std::string& why) {
    log(TETHER_LOG_WARN, why + "; accepting again shortly");
    retry_.expires_after(kAcceptRetryDelay);
    retry_.async_wait([self = shared_from_this()](const boost::system::error_code& waited) {
        if (!waited && !self->stopped_) self->accept_next();
    });
}

void TcpListener::hand_over(boost::asio::ip::tcp::socket socket) {
    boost::system::error_code gone;
    const auto peer = socket.remote_endpoint(gone);
    if (gone) return;  // it left before we got to it
    const std::string peer_address = format_endpoint(peer);
    on_accept_(ctx_, transport_.adopt(std::move(socket)), peer_address.c_str());
}

void TcpListener::stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
}

void TcpListener::on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
    if (stopped_) return;
    if (ec) return retry_later("accept failed: " + ec.message());
    // Whatever goes wrong with one connection (out of memory, a host callback
    // that throws although it must not), the listener goes on accepting.
    try {
        hand_over(std::move(socket));
    } catch (const std::exception& e) {
        log(TETHER_LOG_ERROR, std::string("dropped an incoming connection: ") + e.what());
    } catch (...) {
        log(TETHER_LOG_ERROR, "dropped an incoming connection: unknown error");
    }
    if (!stopped_) accept_next();  // on_accept may have closed this listener
}

}  // namespace tether::tcp
