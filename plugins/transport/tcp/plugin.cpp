// The ABI table of the TCP transport. Every entry point catches what the C++
// inside throws: errors become TETHER_ERROR with the reason, and calls that
// cannot report one log it.
#include "plugin_log.h"
#include "tcp_transport.h"
#include "wire_format.h"

#include <tether/plugin.hpp>

#include <span>
#include <string>

namespace {

using tether::tcp::TcpConnection;
using tether::tcp::TcpListener;
using tether::tcp::TcpTransport;

template <typename Body>
void logged(const char* call, Body&& body) noexcept {
    tether::logged("transport-tcp", call, std::forward<Body>(body));
}

TcpTransport* transport_of(void* transport) { return static_cast<TcpTransport*>(transport); }
TcpConnection* connection_of(void* connection) { return static_cast<TcpConnection*>(connection); }

const tether_transport_vtable tcp_vtable = {
    sizeof(tether_transport_vtable),
    "tcp",
    TETHER_TRANSPORT_RELIABLE | TETHER_TRANSPORT_ORDERED,
    tether::tcp::kMaxMessageSize,
    [](const tether_host_api*, tether_error*) { return static_cast<int>(TETHER_OK); },
    [](const tether_host_api* host, tether_error* err) -> void* {
        return tether::create_guarded<TcpTransport>(err, host);
    },
    [](void* transport) { delete transport_of(transport); },
    [](void* transport, const char* address, tether_accept_fn on_accept, void* ctx, char* bound_address,
       size_t bound_capacity, tether_error* err) -> void* {
        TcpListener* listener = nullptr;
        tether::guarded(err, [&] {
            if (address == nullptr) throw std::invalid_argument("no address to listen on");
            const std::span<char> bound = bound_address ? std::span(bound_address, bound_capacity) : std::span<char>();
            listener = transport_of(transport)->listen(address, on_accept, ctx, bound);
            return TETHER_OK;
        });
        return listener;
    },
    [](void* listener) { logged("close_listener", [&] { static_cast<TcpListener*>(listener)->close(); }); },
    [](void* transport, const char* address, uint32_t timeout_ms, tether_error* err) -> void* {
        TcpConnection* connection = nullptr;
        tether::guarded(err, [&] {
            if (address == nullptr) throw std::invalid_argument("no address to connect to");
            connection = transport_of(transport)->connect(address, timeout_ms);
            return TETHER_OK;
        });
        return connection;
    },
    [](void* connection, const tether_connection_callbacks* callbacks) {
        logged("start", [&] {
            if (callbacks == nullptr) throw std::invalid_argument("no callbacks");
            connection_of(connection)->start(*callbacks);
        });
    },
    [](void* connection, tether_buffer* message, tether_error* err) {
        return tether::guarded(err, [&] {
            connection_of(connection)->send(message);
            return TETHER_OK;
        });
    },
    [](void* connection) { return connection_of(connection)->pending_bytes(); },
    [](void* connection) { logged("close", [&] { connection_of(connection)->close(); }); },
    nullptr,  // get_extension (ABI 1.2, optional): none
    nullptr,  // send_on (ABI 1.5): one ordered stream
    1,        // channels
    nullptr,  // open_port, port_send, punch, close_port (ABI 1.5): no punching but connect_from's
    nullptr,
    nullptr,
    nullptr,
    [](void* transport, const char* local_address, const char* address, uint32_t first_ttl, uint32_t timeout_ms,
       tether_error* err) -> void* {
        TcpConnection* connection = nullptr;
        tether::guarded(err, [&] {
            if (local_address == nullptr || address == nullptr) throw std::invalid_argument("no address to connect to");
            connection = transport_of(transport)->connect_from(local_address, address, first_ttl, timeout_ms);
            return TETHER_OK;
        });
        return connection;
    },
};

constexpr tether_factory tcp_factory = tether::factory(
    TETHER_KIND_TRANSPORT, "tcp", "Direct TCP connections with length-prefixed messages", 0, &tcp_vtable);

}  // namespace

TETHER_PLUGIN("transport-tcp", "0.1.0", "TCP transport", &tcp_factory)
