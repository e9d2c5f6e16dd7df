#include "ws_transport.h"

#include "socket_acceptor.h"
#include "ws_address.h"
#include "ws_dial.h"

#include <stdexcept>

namespace tether::ws {

WsListener* WsTransport::listen(std::string_view address, tether_accept_fn on_accept, void* ctx, std::span<char> bound) {
    if (on_accept == nullptr) throw std::invalid_argument("listen needs an accept callback");
    const WsAddress where = parse_ws_address(address);
    const auto endpoint = transport::resolve_listen_endpoint(network().context(), where.where);
    return keep_listening(std::make_shared<WsListener>(*this, endpoint, where.path, on_accept, ctx), bound);
}

WsConnection* WsTransport::connect(std::string_view address, uint32_t timeout_ms) {
    if (network().is_current()) throw std::logic_error("connect blocks and cannot run on a transport thread");
    const WsAddress target = parse_ws_address(address);
    if (target.where.host.empty()) transport::reject_address(address, "missing host");
    auto stream = dial_websocket(network(), target, timeout_ms);
    WsConnection* handle = nullptr;
    network().run_and_wait([&] { handle = keep(std::make_shared<WsConnection>(*this, std::move(stream), true)); });
    return handle;
}

}  // namespace tether::ws
