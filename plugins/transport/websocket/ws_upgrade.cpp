#include "ws_upgrade.h"

#include "plugin_log.h"

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace tether::ws {
namespace {

namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

}  // namespace

WsUpgrade::WsUpgrade(boost::asio::ip::tcp::socket socket, std::string path, DoneFn done)
    : stream_(std::move(socket)), path_(std::move(path)), done_(std::move(done)) {
    parser_.header_limit(kMaxRequest);
    parser_.body_limit(0);  // an upgrade request has no body
}

void WsUpgrade::start(std::chrono::milliseconds timeout) {
    stream_.expires_after(timeout);  // the request, and the answer to it
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](const boost::system::error_code& ec, size_t) { self->on_request(ec); });
}

void WsUpgrade::cancel() {
    boost::system::error_code ignored;
    TcpStream& stream = websocket_ ? websocket_->next_layer() : stream_;
    stream.socket().close(ignored);
}

void WsUpgrade::on_request(const boost::system::error_code& ec) {
    if (finished_) return;
    if (ec) {
        log(TETHER_LOG_DEBUG, "no upgrade: " + ec.message());
        return finish(std::nullopt);
    }
    const auto& request = parser_.get();
    // A client waits for the answer before it sends frames (RFC 6455, 4.1).
    if (buffer_.size() > 0) return refuse(400, "bytes after the upgrade request, before its answer");
    if (!websocket::is_upgrade(request)) return refuse(426, "not a WebSocket upgrade");
    if (request.target() != path_) return refuse(404, "no WebSocket at this path");
    websocket_.emplace(std::move(stream_));
    websocket_->async_accept(request, [self = shared_from_this()](const boost::system::error_code& accepted) {
        if (self->finished_) return;
        if (accepted) {
            log(TETHER_LOG_DEBUG, "no upgrade: " + accepted.message());
            return self->finish(std::nullopt);
        }
        WsStream upgraded = std::move(*self->websocket_);
        self->websocket_.reset();
        self->finish(std::move(upgraded));
    });
}

void WsUpgrade::refuse(unsigned status, const std::string& why) {
    log(TETHER_LOG_DEBUG, "no upgrade: " + why);
    auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    response->set(http::field::connection, "close");
    response->body() = why + "\n";
    response->prepare_payload();
    http::async_write(stream_, *response, [self = shared_from_this(), response](const boost::system::error_code&, size_t) {
        self->cancel();
        self->finish(std::nullopt);
    });
}

void WsUpgrade::finish(std::optional<WsStream> stream) {
    if (std::exchange(finished_, true)) return;
    if (!stream) cancel();
    done_(*this, std::move(stream));
}

}  // namespace tether::ws
