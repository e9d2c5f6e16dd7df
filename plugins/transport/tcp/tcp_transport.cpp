#include "tcp_transport.h"

#include "dialer.h"
#include "host_port.h"
#include "socket_acceptor.h"

#include <stdexcept>

namespace tether::tcp {
namespace {

// "host:port", "[v6]:port", with an optional "tcp://" prefix.
transport::HostPort parse_address(std::string_view address) {
    std::string_view rest = address;
    if (rest.starts_with("tcp://")) rest.remove_prefix(6);
    return transport::parse_host_port(rest, address);
}

}  // namespace

TcpListener* TcpTransport::listen(std::string_view address, tether_accept_fn on_accept, void* ctx,
                                  std::span<char> bound) {
    if (on_accept == nullptr) throw std::invalid_argument("listen needs an accept callback");
    const auto endpoint = transport::resolve_listen_endpoint(network().context(), parse_address(address));
    return keep_listening(std::make_shared<TcpListener>(*this, endpoint, on_accept, ctx), bound);
}

TcpConnection* TcpTransport::connect(std::string_view address, uint32_t timeout_ms) {
    return dial(address, timeout_ms, std::nullopt);
}

TcpConnection* TcpTransport::connect_from(std::string_view local, std::string_view address, uint32_t first_ttl,
                                          uint32_t timeout_ms) {
    const auto from = transport::resolve_listen_endpoint(network().context(), parse_address(local));
    return dial(address, timeout_ms, transport::DialFrom{from, first_ttl});
}

TcpConnection* TcpTransport::dial(std::string_view address, uint32_t timeout_ms,
                                  const std::optional<transport::DialFrom>& from) {
    if (network().is_current()) throw std::logic_error("connect blocks and cannot run on a transport thread");
    const transport::HostPort target = parse_address(address);
    if (target.host.empty()) transport::reject_address(address, "missing host");
    auto socket = transport::dial(network().context(), target, timeout_ms, from);
    TcpConnection* handle = nullptr;
    network().run_and_wait([&] { handle = keep(std::make_shared<TcpConnection>(*this, std::move(socket))); });
    return handle;
}

}  // namespace tether::tcp
