// The ABI table of a socket transport, from its C++ classes. Every entry
// point catches what the C++ inside throws: errors become TETHER_ERROR with
// the reason, and calls that cannot report one log it.
//
// Transport must offer: kPluginName, Listener and Connection types,
// Transport(const tether_host_api*), listen(address, on_accept, ctx,
// std::span<char> bound), connect(address, timeout_ms), and may offer
// connect_from(local, address, first_ttl, timeout_ms); Listener::close();
// Connection::start(callbacks), send(buffer), pending_bytes(), close().
#pragma once

#include "message_limits.h"

#include <tether/plugin.hpp>

#include <span>
#include <stdexcept>

namespace tether::transport {

template <typename Transport>
struct TransportCalls {
    using Listener = typename Transport::Listener;
    using Connection = typename Transport::Connection;

    static Transport* transport_of(void* transport) { return static_cast<Transport*>(transport); }
    static Connection* connection_of(void* connection) { return static_cast<Connection*>(connection); }

    static int probe(const tether_host_api*, tether_error*) { return TETHER_OK; }
    static void* create(const tether_host_api* host, tether_error* err) {
        return tether::create_guarded<Transport>(err, host);
    }
    static void destroy(void* transport) { delete transport_of(transport); }
    static void* listen(void* transport, const char* address, tether_accept_fn on_accept, void* ctx,
                        char* bound_address, size_t bound_capacity, tether_error* err) {
        Listener* listener = nullptr;
        tether::guarded(err, [&] {
            if (address == nullptr) throw std::invalid_argument("no address to listen on");
            const std::span<char> bound = bound_address ? std::span(bound_address, bound_capacity) : std::span<char>();
            listener = transport_of(transport)->listen(address, on_accept, ctx, bound);
            return TETHER_OK;
        });
        return listener;
    }
    static void close_listener(void* listener) {
        tether::logged(Transport::kPluginName, "close_listener", [&] { static_cast<Listener*>(listener)->close(); });
    }
    static void* connect(void* transport, const char* address, uint32_t timeout_ms, tether_error* err) {
        Connection* connection = nullptr;
        tether::guarded(err, [&] {
            if (address == nullptr) throw std::invalid_argument("no address to connect to");
            connection = transport_of(transport)->connect(address, timeout_ms);
            return TETHER_OK;
        });
        return connection;
    }
    static void* connect_from(void* transport, const char* local_address, const char* address, uint32_t first_ttl,
                              uint32_t timeout_ms, tether_error* err) {
        Connection* connection = nullptr;
        tether::guarded(err, [&] {
            if (local_address == nullptr || address == nullptr) throw std::invalid_argument("no address to connect to");
            connection = transport_of(transport)->connect_from(local_address, address, first_ttl, timeout_ms);
            return TETHER_OK;
        });
        return connection;
    }
    static void start(void* connection, const tether_connection_callbacks* callbacks) {
        tether::logged(Transport::kPluginName, "start", [&] {
            if (callbacks == nullptr) throw std::invalid_argument("no callbacks");
            connection_of(connection)->start(*callbacks);
        });
    }
    static int send(void* connection, tether_buffer* message, tether_error* err) {
        return tether::guarded(err, [&] {
            connection_of(connection)->send(message);
            return TETHER_OK;
        });
    }
    static size_t pending_bytes(void* connection) { return connection_of(connection)->pending_bytes(); }
    static void close(void* connection) {
        tether::logged(Transport::kPluginName, "close", [&] { connection_of(connection)->close(); });
    }
};

// ABI 1.7's received_bytes, for a transport that counts what arrives.
template <typename Transport>
constexpr auto received_bytes_entry() {
    using Entry = decltype(tether_transport_vtable::received_bytes);
    if constexpr (requires(typename Transport::Connection& c) { c.received_bytes(); })
        return Entry{[](void* connection) -> uint64_t { return TransportCalls<Transport>::connection_of(connection)->received_bytes(); }};
    else
        return Entry{nullptr};
}

// ABI 1.5's connect_from, for a transport that dials from a given port.
template <typename Transport>
constexpr auto connect_from_entry() {
    using Entry = decltype(tether_transport_vtable::connect_from);
    if constexpr (requires(Transport& t) { t.connect_from("", "", 0u, 0u); })
        return Entry{&TransportCalls<Transport>::connect_from};
    else
        return Entry{nullptr};
}

// Reliable and ordered, kMaxMessageSize at most, one channel, no extension
// and no punching; connect_from and received_bytes where the transport has them.
template <typename Transport>
constexpr tether_transport_vtable transport_vtable(const char* scheme) {
    using Calls = TransportCalls<Transport>;
    return {sizeof(tether_transport_vtable),
            scheme,
            TETHER_TRANSPORT_RELIABLE | TETHER_TRANSPORT_ORDERED,
            kMaxMessageSize,
            &Calls::probe,
            &Calls::create,
            &Calls::destroy,
            &Calls::listen,
            &Calls::close_listener,
            &Calls::connect,
            &Calls::start,
            &Calls::send,
            &Calls::pending_bytes,
            &Calls::close,
            nullptr,  // get_extension (ABI 1.2, optional): none
            nullptr,  // send_on (ABI 1.5): one ordered stream
            1,        // channels
            nullptr,  // open_port, port_send, punch, close_port (ABI 1.5): no punching
            nullptr,
            nullptr,
            nullptr,
            connect_from_entry<Transport>(),
            received_bytes_entry<Transport>()};
}

}  // namespace tether::transport
