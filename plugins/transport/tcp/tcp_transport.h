// One transport instance: a network thread and every listener and
// connection made through it. The handles given to the host are raw
// pointers to objects that the maps here keep alive until the host closes
// them; handlers in flight hold their own references.
#pragma once

#include "dialer.h"
#include "network_thread.h"
#include "tcp_connection.h"
#include "tcp_listener.h"

#include <tether/plugin.h>

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>

namespace tether::tcp {

class TcpTransport {
public:
    explicit TcpTransport(const tether_host_api* host);
    // Closes every listener and connection, then joins the network thread.
    ~TcpTransport();
    TcpTransport(const TcpTransport&) = delete;
    TcpTransport& operator=(const TcpTransport&) = delete;

    // Writes the bound address into `bound` (when it is not empty). Throws on failure.
    TcpListener* listen(std::string_view address, tether_accept_fn on_accept, void* ctx, std::span<char> bound);
    // Blocks; never on the network thread. Throws on failure.
    TcpConnection* connect(std::string_view address, uint32_t timeout_ms);
    // connect() from `local` (ABI 1.5 connect_from; dialer.h's DialFrom).
    TcpConnection* connect_from(std::string_view local, std::string_view address, uint32_t first_ttl,
                                uint32_t timeout_ms);

    NetworkThread& network() { return network_; }
    const tether_host_api& host() const { return host_; }

    // ---- network thread ----
    TcpConnection* adopt(boost::asio::ip::tcp::socket socket);
    void forget(TcpConnection* connection) { connections_.erase(connection); }
    void forget(TcpListener* listener) { listeners_.erase(listener); }

private:
    static constexpr std::chrono::milliseconds kGoodbyeGrace{250};
    boost::asio::ip::tcp::endpoint resolve_local(std::string_view address);
    TcpConnection* dial(std::string_view address, uint32_t timeout_ms, const std::optional<DialFrom>& from);

    const tether_host_api& host_;
    NetworkThread network_;
    std::unordered_map<TcpConnection*, std::shared_ptr<TcpConnection>> connections_;
    std::unordered_map<TcpListener*, std::shared_ptr<TcpListener>> listeners_;
};

}  // namespace tether::tcp
