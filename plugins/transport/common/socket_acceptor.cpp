#include "socket_acceptor.h"

#include "host_port.h"
#include "reuse_port.h"

#include <tether/plugin.hpp>

#include <boost/asio/error.hpp>

#include <chrono>
#include <stdexcept>

namespace tether::transport {
namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

}  // namespace

SocketAcceptor::SocketAcceptor(NetworkThread& network, const boost::asio::ip::tcp::endpoint& endpoint,
                               SocketFn on_socket, const char* plugin, bool share_with_dials)
    : acceptor_(network.context()), retry_(network.context()), on_socket_(std::move(on_socket)), plugin_(plugin) {
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
    // A first bind without sharing proves nobody holds the port, so a second
    // host on one port still fails with "address in use".
    if (share_with_dials && endpoint.port() != 0) {
        boost::asio::ip::tcp::acceptor alone(network.context());
        bind(alone, false);
    }
    bind(acceptor_, share_with_dials);
    acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    check("cannot listen on");
}

void SocketAcceptor::accept_next() {
    try {
        acceptor_.async_accept(
            [self = shared_from_this()](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
                self->on_accepted(ec, std::move(socket));
            });
    } catch (const std::exception& e) {
        retry_later(std::string("cannot wait for a connection: ") + e.what());
    }
}

void SocketAcceptor::retry_later(const std::string& why) {
    tether::log(TETHER_LOG_WARN, plugin_, why + "; accepting again shortly");
    retry_.expires_after(kAcceptRetryDelay);
    retry_.async_wait([self = shared_from_this()](const boost::system::error_code& waited) {
        if (!waited && !self->stopped_) self->accept_next();
    });
}

void SocketAcceptor::stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
}

void SocketAcceptor::on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
    if (stopped_) return;
    if (ec) return retry_later("accept failed: " + ec.message());
    // Whatever goes wrong with one connection (out of memory, a host callback
    // that throws although it must not), the listener goes on accepting.
    try {
        on_socket_(std::move(socket));
    } catch (const std::exception& e) {
        tether::log(TETHER_LOG_ERROR, plugin_, std::string("dropped an incoming connection: ") + e.what());
    } catch (...) {
        tether::log(TETHER_LOG_ERROR, plugin_, "dropped an incoming connection: unknown error");
    }
    if (!stopped_) accept_next();  // on_socket may have stopped this acceptor
}

boost::asio::ip::tcp::endpoint resolve_listen_endpoint(boost::asio::io_context& io, const HostPort& where) {
    boost::asio::ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    const auto found = resolver.resolve(where.host, std::to_string(where.port),
                                        boost::asio::ip::tcp::resolver::passive |
                                            boost::asio::ip::tcp::resolver::numeric_service,
                                        ec);
    if (ec || found.empty())
        throw std::runtime_error("cannot resolve '" + where.host + "': " + (ec ? ec.message() : "no address"));
    return found.begin()->endpoint();
}

}  // namespace tether::transport
