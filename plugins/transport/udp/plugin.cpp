// The ABI table of the UDP transport. Every entry point catches what the C++
// inside throws: errors become TETHER_ERROR with the reason, and calls that
// cannot report one log it.
#include "address.h"
#include "udp_connection.h"
#include "udp_listener.h"
#include "udp_port.h"
#include "udp_transport.h"
#include "wire.h"

#include <tether/plugin.hpp>

#include <span>
#include <stdexcept>
#include <string>

namespace {

using tether::udp::UdpConnection;
using tether::udp::UdpListener;
using tether::udp::UdpPort;
using tether::udp::UdpTransport;

constexpr const char* kPlugin = "transport-udp";

UdpTransport* transport_of(void* transport) { return static_cast<UdpTransport*>(transport); }
UdpConnection* connection_of(void* connection) { return static_cast<UdpConnection*>(connection); }
UdpPort* port_of(void* port) { return static_cast<UdpPort*>(port); }

std::span<char> span_of(char* text, size_t capacity) { return text ? std::span(text, capacity) : std::span<char>(); }

const char* required(const char* text, const char* what) {
    if (text == nullptr) throw std::invalid_argument(std::string("no ") + what);
    return text;
}

int send_on(void* connection, uint32_t channel, uint32_t flags, tether_buffer* message, tether_error* err) {
    return tether::guarded(err, [&] {
        connection_of(connection)->send(channel, flags, message);
        return TETHER_OK;
    });
}

const tether_transport_vtable udp_vtable = {
    sizeof(tether_transport_vtable),
    "udp",
    TETHER_TRANSPORT_RELIABLE | TETHER_TRANSPORT_ORDERED | TETHER_TRANSPORT_NAT_TRAVERSAL |
        TETHER_TRANSPORT_UNRELIABLE | TETHER_TRANSPORT_PUNCH,
    tether::udp::kMaxMessageSize,
    [](const tether_host_api*, tether_error*) { return static_cast<int>(TETHER_OK); },
    [](const tether_host_api* host, tether_error* err) -> void* {
        return tether::create_guarded<UdpTransport>(err, host);
    },
    [](void* transport) { delete transport_of(transport); },
    [](void* transport, const char* address, tether_accept_fn on_accept, void* ctx, char* bound_address,
       size_t bound_capacity, tether_error* err) -> void* {
        return tether::made_guarded(err, [&] {
            return transport_of(transport)->listen(required(address, "address to listen on"), on_accept, ctx,
                                                   span_of(bound_address, bound_capacity));
        });
    },
    [](void* listener) {
        tether::logged(kPlugin, "close_listener", [&] { static_cast<UdpListener*>(listener)->close(); });
    },
    [](void* transport, const char* address, uint32_t timeout_ms, tether_error* err) -> void* {
        return tether::made_guarded(err, [&] {
            return transport_of(transport)->connect(required(address, "address to connect to"), timeout_ms);
        });
    },
    [](void* connection, const tether_connection_callbacks* callbacks) {
        tether::logged(kPlugin, "start", [&] {
            if (callbacks == nullptr) throw std::invalid_argument("no callbacks");
            connection_of(connection)->start(*callbacks);
        });
    },
    [](void* connection, tether_buffer* message, tether_error* err) { return send_on(connection, 0, 0, message, err); },
    [](void* connection) { return connection_of(connection)->pending_bytes(); },
    [](void* connection) { tether::logged(kPlugin, "close", [&] { connection_of(connection)->close(); }); },
    nullptr,  // get_extension (ABI 1.2, optional): none
    &send_on,
    tether::udp::kChannels,
    [](void* transport, const tether_port_config* config, char* bound_address, size_t bound_capacity,
       tether_error* err) -> void* {
        return tether::made_guarded(err, [&] {
            if (config == nullptr) throw std::invalid_argument("no port config");
            return transport_of(transport)->open_port(*config, span_of(bound_address, bound_capacity));
        });
    },
    [](void* port, const char* address, const uint8_t* data, size_t size, tether_error* err) {
        return tether::guarded(err, [&] {
            port_of(port)->send(tether::udp::parse_address(required(address, "address to send to")), {data, size});
            return TETHER_OK;
        });
    },
    [](void* port, const tether_punch_plan* plan, tether_error* err) -> void* {
        return tether::made_guarded(err, [&] {
            if (plan == nullptr) throw std::invalid_argument("no punch plan");
            return port_of(port)->punch(*plan);
        });
    },
    [](void* port) { tether::logged(kPlugin, "close_port", [&] { port_of(port)->close(); }); },
    nullptr,  // connect_from (ABI 1.5, optional): not offered
    [](void* connection) -> uint64_t { return connection_of(connection)->received_bytes(); },
};

constexpr tether_factory udp_factory = tether::factory(
    TETHER_KIND_TRANSPORT, "udp",
    "UDP on ENet: reliable and unreliable channels, hole punching through NATs", 0, &udp_vtable);

}  // namespace

TETHER_PLUGIN("transport-udp", "0.1.0", "UDP transport with hole punching", &udp_factory)
