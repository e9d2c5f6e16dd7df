#include "dialer.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace tether::tcp {
namespace {

using boost::asio::ip::tcp;

// The outcome travels as a value, not as a stored exception, so that nothing
// the caller's thread reads is released later by the network thread.
struct Outcome {
    std::optional<tcp::socket> socket;
    std::string error;
};

// State shared by the handlers of one attempt; touched on the network thread only.
struct Attempt {
    explicit Attempt(boost::asio::io_context& io) : resolver(io), socket(io), deadline(io) {}

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
        resolver.cancel();
        return true;
    }

    tcp::resolver resolver;
    tcp::socket socket;
    boost::asio::steady_timer deadline;
    std::promise<Outcome> result;
    bool finished = false;
};

}  // namespace

tcp::socket dial(boost::asio::io_context& io, const HostPort& target, uint32_t timeout_ms) {
    auto attempt = std::make_shared<Attempt>(io);
    auto connected = attempt->result.get_future();

    boost::asio::post(io, [attempt, target, timeout_ms] {
        if (timeout_ms > 0) {
            attempt->deadline.expires_after(std::chrono::milliseconds(timeout_ms));
            attempt->deadline.async_wait([attempt, timeout_ms](const boost::system::error_code& ec) {
                if (!ec) attempt->fail("timed out after " + std::to_string(timeout_ms) + " ms");
            });
        }
        attempt->resolver.async_resolve(
            target.host, std::to_string(target.port), tcp::resolver::numeric_service,
            [attempt, host = target.host](const boost::system::error_code& ec, const tcp::resolver::results_type& found) {
                if (attempt->finished) return;
                if (ec) return attempt->fail("cannot resolve '" + host + "': " + ec.message());
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

}  // namespace tether::tcp
