// One instance of a socket transport, whatever its wire: a network thread and
// every listener and connection made through it. The handles given to the
// host are raw pointers to objects that the maps here keep alive until the
// host closes them; handlers in flight hold their own references.
//
// Connection must offer end_within(grace); Listener local_endpoint(),
// accept_next() and stop().
#pragma once

#include "host_port.h"
#include "network_thread.h"

#include <tether/plugin.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace tether::transport {

template <typename Connection, typename Listener>
class SocketTransport {
public:
    SocketTransport(const tether_host_api* host, const char* plugin) : host_(checked(host)), plugin_(plugin), network_(plugin) {}
    // Closes every listener and connection, then joins the network thread.
    ~SocketTransport();
    SocketTransport(const SocketTransport&) = delete;
    SocketTransport& operator=(const SocketTransport&) = delete;

    NetworkThread& network() { return network_; }
    const tether_host_api& host() const { return host_; }

    // ---- network thread ----
    Connection* keep(std::shared_ptr<Connection> connection) {
        Connection* handle = connection.get();
        connections_.emplace(handle, std::move(connection));
        return handle;
    }
    void forget(Connection* connection) { connections_.erase(connection); }
    void forget(Listener* listener) { listeners_.erase(listener); }

protected:
    // A listener just bound: kept, accepting, its address written into `bound` (when not empty).
    Listener* keep_listening(std::shared_ptr<Listener> listener, std::span<char> bound) {
        copy_address(format_endpoint(listener->local_endpoint()), bound.data(), bound.size());
        Listener* handle = listener.get();
        network_.run_and_wait([&] {
            listeners_.emplace(handle, listener);
            listener->accept_next();
        });
        return handle;
    }

private:
    static constexpr std::chrono::milliseconds kGoodbyeGrace{250};

    static const tether_host_api& checked(const tether_host_api* host) {
        if (host == nullptr || host->buffer_ref == nullptr || host->buffer_unref == nullptr)
            throw std::invalid_argument("a transport needs the host's buffer functions");
        return *host;
    }

    const tether_host_api& host_;
    const char* plugin_;
    NetworkThread network_;
    std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
    std::unordered_map<Listener*, std::shared_ptr<Listener>> listeners_;
};

template <typename Connection, typename Listener>
SocketTransport<Connection, Listener>::~SocketTransport() {
    try {
        network_.run_and_wait([this] {
            const auto listeners = std::move(listeners_);
            const auto connections = std::move(connections_);
            listeners_.clear();
            connections_.clear();
            for (const auto& [handle, listener] : listeners) listener->stop();
            // A goodbye queued just before has a moment to leave; the join waits for at most that.
            for (const auto& [handle, connection] : connections) connection->end_within(kGoodbyeGrace);
        });
    } catch (const std::exception& e) {
        // Only a host callback can throw here; the join below must happen regardless.
        tether::log(TETHER_LOG_ERROR, plugin_, std::string("closing the transport: ") + e.what());
    }
    network_.join();
}

}  // namespace tether::transport
