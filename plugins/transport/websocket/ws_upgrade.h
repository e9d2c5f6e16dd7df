// The server's side of one WebSocket upgrade: read the HTTP request (its
// header bounded in size, the whole of it in time, so a slow or endless
// request costs a bounded wait), answer a request that is no upgrade to
// `path` with an HTTP error, accept the rest. The stream, or nothing, goes
// to `done` exactly once, on the network thread.
#pragma once

#include "ws_stream.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tether::ws {

class WsUpgrade : public std::enable_shared_from_this<WsUpgrade> {
public:
    using DoneFn = std::function<void(WsUpgrade& upgrade, std::optional<WsStream> stream)>;

    // A request header larger than this is refused: an upgrade needs a few hundred bytes.
    static constexpr size_t kMaxRequest = 8 * 1024;

    WsUpgrade(boost::asio::ip::tcp::socket socket, std::string path, DoneFn done);
    WsUpgrade(const WsUpgrade&) = delete;
    WsUpgrade& operator=(const WsUpgrade&) = delete;

    void start(std::chrono::milliseconds timeout);
    void cancel();  // done() follows, with nothing

private:
    void on_request(const boost::system::error_code& ec);
    void refuse(unsigned status, const std::string& why);
    void finish(std::optional<WsStream> stream);

    TcpStream stream_;
    std::optional<WsStream> websocket_;  // once the request is an upgrade
    const std::string path_;
    DoneFn done_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request_parser<boost::beast::http::empty_body> parser_;
    bool finished_ = false;
};

}  // namespace tether::ws
