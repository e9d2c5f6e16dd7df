#include "tcp_transport.h"

#include "address.h"
#include "dialer.h"
#include "plugin_log.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace tether::tcp {
namespace {

const tether_host_api& checked(const tether_host_api* host) {
    if (host == nullptr || host->buffer_ref == nullptr || host->buffer_unref == nullptr)
        throw std::invalid_argument("the TCP transport needs the host's buffer functions");
    return *host;
}

}  // namespace

TcpTransport::TcpTransport(const tether_host_api* host) : host_(checked(host)) {}

TcpTransport::~TcpTransport() {
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
        log(TETHER_LOG_ERROR, std::string("closing the transport: ") + e.what());
    }
    network_.join();
}

TcpListener* TcpTransport::listen(std::string_view address, tether_accept_fn on_accept, void* ctx,
                                  std::span<char> bound) {
    if (on_accept == nullptr) throw std::invalid_argument("listen needs an accept callback");
    auto listener = std::make_shared<TcpListener>(*this, resolve_local(address), on_accept, ctx);
    if (!bound.empty()) {
        const std::string text = format_endpoint(listener->local_endpoint());
        if (text.size() >= bound.size())
            throw std::length_error("the bound address " + text + " does not fit in " + std::to_string(bound.size()) +
                                    " bytes");
        std::memcpy(bound.data(), text.c_str(), text.size() + 1);
    }
    TcpListener* handle = listener.get();
    network_.run_and_wait([&] {
        listeners_.emplace(handle, listener);
        listener->accept_next();
    });
    return handle;
}

TcpConnection* TcpTransport::connect(std::string_view address, uint32_t timeout_ms) {
    return dial(address, timeout_ms, std::nullopt);
}

TcpConnection* TcpTransport::connect_from(std::string_view local, std::string_view address, uint32_t first_ttl,
                                          uint32_t timeout_ms) {
    return dial(address, timeout_ms, DialFrom{resolve_local(local), first_ttl});
}

TcpConnection* TcpTransport::dial(std::string_view address, uint32_t timeout_ms, const std::optional<DialFrom>& from) {
    if (network_.is_current()) throw std::logic_error("connect blocks and cannot run on a transport thread");
    const HostPort target = parse_address(address);
    if (target.host.empty()) throw std::invalid_argument("bad address '" + std::string(address) + "': missing host");
    auto socket = tcp::dial(network_.context(), target, timeout_ms, from);
    TcpConnection* handle = nullptr;
    network_.run_and_wait([&] { handle = adopt(std::move(socket)); });
    return handle;
}

TcpConnection* TcpTransport::adopt(boost::asio::ip::tcp::socket socket) {
    auto connection = std::make_shared<TcpConnection>(*this, std::move(socket));
    TcpConnection* handle = connection.get();
    connections_.emplace(handle, std::move(connection));
    return handle;
}

boost::asio::ip::tcp::endpoint TcpTransport::resolve_local(std::string_view address) {
    const HostPort where = parse_address(address);
    boost::asio::ip::tcp::resolver resolver(network_.context());
    boost::system::error_code ec;
    const auto found = resolver.resolve(where.host, std::to_string(where.port),
                                        boost::asio::ip::tcp::resolver::passive |
                                            boost::asio::ip::tcp::resolver::numeric_service,
                                        ec);
    if (ec || found.empty())
        throw std::runtime_error("cannot resolve '" + where.host + "': " + (ec ? ec.message() : "no address"));
    return found.begin()->endpoint();
}

}  // namespace tether::tcp
