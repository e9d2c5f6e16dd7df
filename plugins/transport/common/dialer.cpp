#include "dialer.h"
#include "reuse_port.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/unicast.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

namespace tether::transport {
namespace {

using boost::asio::ip::tcp;

// How long the small-TTL SYN's socket stays: long enough for it to leave and
// for the peer's to reach our NAT; the peer does the same, so the later SYNs
// find both mappings open. The two sides must not switch sockets at the
// same moment: a peer SYN arriving while no socket of ours holds the address
// pair reaches our listener, whose answer (with another initial sequence
// number than the SYN the NAT saw) the NAT then passes untranslated. So the
// side with the lower port switches first, the other 50 ms later.
std::chrono::milliseconds first_ttl_hold(uint16_t local_port, uint16_t remote_port) {
    using std::chrono::milliseconds;
    if (local_port != remote_port) return milliseconds(local_port < remote_port ? 50 : 100);
    thread_local std::minstd_rand random(std::random_device{}());
    return milliseconds(std::uniform_int_distribution<int>(50, 100)(random));  // no order to go by
}

// The outcome travels as a value, not as a stored exception, so that nothing
// the caller's thread reads is released later by the network thread.
struct Outcome {
    std::optional<tcp::socket> socket;
    std::string error;
};

// State shared by the handlers of one attempt; touched on the network thread only.
struct Attempt : std::enable_shared_from_this<Attempt> {
    explicit Attempt(boost::asio::io_context& io) : resolver(io), socket(io), deadline(io), again(io) {}

    void fail(const std::string& reason) {
        if (!finish()) return;
        boost::system::error_code ignored;
        socket.close(ignored);
        result.set_value({std::nullopt, reason});
    }

    void succeed() {
        if (finish()) result.set_value({std::move(socket), {}});
    }

    // The first ending wins; the handlers still pending see `finished`.
    bool finish() {
        if (finished) return false;
        finished = true;
        deadline.cancel();
        again.cancel();
        resolver.cancel();
        return true;
    }

    // Connects to `target`, from `from` when set; a small first TTL gives way
    // to the system's after first_ttl_hold, from a new socket on the same port.
    void connect(const tcp::endpoint& target, const std::optional<DialFrom>& from, uint32_t ttl) {
        boost::system::error_code ec;
        socket = tcp::socket(socket.get_executor());
        if (from) {
            socket.open(from->local.protocol(), ec);
            if (!ec) socket.set_option(tcp::socket::reuse_address(true), ec);
            if (!ec) socket.set_option(ReusePort(true), ec);
            if (!ec) socket.bind(from->local, ec);
            if (!ec && ttl > 0) socket.set_option(boost::asio::ip::unicast::hops(static_cast<int>(ttl)), ec);
            if (ec) return fail("cannot dial from " + format_endpoint(from->local) + ": " + ec.message());
        }
        const auto self = shared_from_this();
        socket.async_connect(target, [self, ttl](const boost::system::error_code& ec) {
            if (self->finished) return;
            // A small-TTL SYN's failure does not count: the dial starts again with the system's.
            if (ec && ttl > 0) return;
            if (ec) return self->fail(ec.message());
            self->succeed();
        });
        if (!from || ttl == 0) return;
        again.expires_after(first_ttl_hold(from->local.port(), target.port()));
        again.async_wait([self, target, from](const boost::system::error_code& ec) {
            if (ec || self->finished) return;
            // Closed at once: a peer SYN that arrived meanwhile left the socket
            // half-open, and a plain close would keep its address pair taken
            // (the next connect fails "cannot assign"). The reset dies with the small TTL.
            boost::system::error_code ignored;
            self->socket.set_option(tcp::socket::linger(true, 0), ignored);
            self->socket.close(ignored);
            self->connect(target, from, 0);
        });
    }

    tcp::resolver resolver;
    tcp::socket socket;
    boost::asio::steady_timer deadline;
    boost::asio::steady_timer again;
    std::promise<Outcome> result;
    bool finished = false;
};

}  // namespace

tcp::socket dial(boost::asio::io_context& io, const HostPort& target, uint32_t timeout_ms,
                 const std::optional<DialFrom>& from) {
    auto attempt = std::make_shared<Attempt>(io);
    auto connected = attempt->result.get_future();

    boost::asio::post(io, [attempt, target, timeout_ms, from] {
        if (timeout_ms > 0) {
            attempt->deadline.expires_after(std::chrono::milliseconds(timeout_ms));
            attempt->deadline.async_wait([attempt, timeout_ms](const boost::system::error_code& ec) {
                if (!ec) attempt->fail("timed out after " + std::to_string(timeout_ms) + " ms");
            });
        }
        attempt->resolver.async_resolve(
            target.host, std::to_string(target.port), tcp::resolver::numeric_service,
            [attempt, host = target.host, from](const boost::system::error_code& ec,
                                                const tcp::resolver::results_type& found) {
                if (attempt->finished) return;
                if (ec) return attempt->fail("cannot resolve '" + host + "': " + ec.message());
                if (from) {
                    // One local port: the first address of its family.
                    for (const auto& entry : found)
                        if (entry.endpoint().protocol() == from->local.protocol())
                            return attempt->connect(entry.endpoint(), from, from->first_ttl);
                    return attempt->fail("'" + host + "' has no address of the family of " +
                                         format_endpoint(from->local));
                }
                boost::asio::async_connect(attempt->socket, found,
                                           [attempt](const boost::system::error_code& ec, const tcp::endpoint&) {
                                               if (attempt->finished) return;
                                               if (ec) return attempt->fail(ec.message());
                                               attempt->succeed();
                                           });
            });
    });
    Outcome outcome = connected.get();
    if (!outcome.socket) throw std::runtime_error(outcome.error);
    return std::move(*outcome.socket);
}

}  // namespace tether::transport
