#include "tcp_listener.h"

#include "host_port.h"
#include "plugin_log.h"
#include "tcp_transport.h"

namespace tether::tcp {

TcpListener::TcpListener(TcpTransport& transport, const boost::asio::ip::tcp::endpoint& endpoint,
                         tether_accept_fn on_accept, void* ctx)
    : transport_(transport),
      on_accept_(on_accept),
      ctx_(ctx),
      // Stopped before this listener goes (stop(), close()), so `this` outlives every call.
      acceptor_(std::make_shared<transport::SocketAcceptor>(
          transport.network(), endpoint, [this](boost::asio::ip::tcp::socket socket) { hand_over(std::move(socket)); },
          kPluginName, true)) {}

void TcpListener::close() {
    transport_.network().run_and_wait([this] {
        const auto keep = shared_from_this();  // forget() may drop the last other reference
        stop();
        transport_.forget(this);
    });
}

void TcpListener::hand_over(boost::asio::ip::tcp::socket socket) {
    boost::system::error_code gone;
    const auto peer = socket.remote_endpoint(gone);
    if (gone) return;  // it left before we got to it
    const std::string peer_address = transport::format_endpoint(peer);
    on_accept_(ctx_, transport_.keep(std::make_shared<TcpConnection>(transport_, std::move(socket))),
               peer_address.c_str());
}

}  // namespace tether::tcp
