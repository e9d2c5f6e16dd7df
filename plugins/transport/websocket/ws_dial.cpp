#include "ws_dial.h"

#include "dialer.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket/error.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>

namespace tether::ws {
namespace {

namespace websocket = boost::beast::websocket;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kDefaultUpgradeTimeout{30};

// The outcome travels as a value, not as a stored exception, so that nothing
// the caller's thread reads is released later by the network thread.
struct Outcome {
    std::optional<WsStream> stream;
    std::string error;
};

struct Upgrade {
    explicit Upgrade(WsStream s) : stream(std::move(s)) {}
    WsStream stream;
    websocket::response_type response;
    std::promise<Outcome> result;
};

std::string declined(const websocket::response_type& response, const boost::system::error_code& ec) {
    if (response.result_int() == 0) return "WebSocket upgrade failed: " + ec.message();
    return "the server declined the WebSocket upgrade: " + std::to_string(response.result_int()) + " " +
           std::string(response.reason());
}

}  // namespace

WsStream dial_websocket(transport::NetworkThread& network, const WsAddress& target, uint32_t timeout_ms) {
    const auto started = Clock::now();
    auto socket = transport::dial(network.context(), target.where, timeout_ms);
    const auto left = timeout_ms == 0 ? std::chrono::milliseconds(kDefaultUpgradeTimeout)
                                      : std::max(std::chrono::milliseconds(1),
                                                 std::chrono::milliseconds(timeout_ms) -
                                                     std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
    auto upgrade = std::make_shared<Upgrade>(WsStream(TcpStream(std::move(socket))));
    auto finished = upgrade->result.get_future();
    boost::asio::post(network.context(), [upgrade, left, host = host_header(target.where), path = target.path] {
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = left;
        timeout.idle_timeout = websocket::stream_base::none();
        upgrade->stream.set_option(timeout);
        upgrade->stream.async_handshake(upgrade->response, host, path, [upgrade](const boost::system::error_code& ec) {
            if (ec) {
                boost::system::error_code ignored;
                boost::beast::get_lowest_layer(upgrade->stream).socket().close(ignored);
                return upgrade->result.set_value({std::nullopt, declined(upgrade->response, ec)});
            }
            upgrade->result.set_value({std::move(upgrade->stream), {}});
        });
    });
    Outcome outcome = finished.get();
    if (!outcome.stream) throw std::runtime_error(outcome.error);
    return std::move(*outcome.stream);
}

}  // namespace tether::ws
