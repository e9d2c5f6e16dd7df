#include "websocket_handshake.h"

#include "refusal_reasons.h"

#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>

namespace tether::server {
namespace {

namespace http = boost::beast::http;
using Answer = UpgradeRequest::Answer;

Answer refused(std::string_view status, std::string_view why, std::string_view reason, std::string_view extra = {}) {
    std::string body = std::string(why) + "\n";
    std::string response = "HTTP/1.1 " + std::string(status) + "\r\nConnection: close\r\n" + std::string(extra) +
                           "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                           body;
    return {std::move(response), {}, reason};
}

// 16 bytes in base64: 22 characters and "==".
bool is_key(std::string_view key) {
    const auto is_base64 = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    };
    return key.size() == 24 && key.ends_with("==") && std::all_of(key.begin(), key.end() - 2, is_base64);
}

}  // namespace

UpgradeRequest::UpgradeRequest(std::vector<std::string> paths) : paths_(std::move(paths)) {
    parser_.header_limit(kMaxRequest);
    parser_.body_limit(0);  // an upgrade has no body
}

std::optional<Answer> UpgradeRequest::feed(std::span<const uint8_t> bytes) {
    unparsed_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    boost::system::error_code ec;
    while (!unparsed_.empty() && !parser_.is_done()) {
        const size_t taken = parser_.put(boost::asio::buffer(unparsed_), ec);
        unparsed_.erase(0, taken);
        if (ec == http::error::need_more) {
            if (unparsed_.size() > kMaxRequest)
                return refused("431 Request Header Fields Too Large", "the request is too large", refusal::kBadUpgrade);
            return std::nullopt;
        }
        if (ec) return refused("400 Bad Request", "not an HTTP request: " + ec.message(), refusal::kBadUpgrade);
    }
    if (!parser_.is_done()) return std::nullopt;
    if (!unparsed_.empty())
        return refused("400 Bad Request", "bytes after the request, before its answer", refusal::kBadUpgrade);
    return judge();
}

Answer UpgradeRequest::judge() const {
    const auto& request = parser_.get();
    if (!boost::beast::websocket::is_upgrade(request))
        return refused("426 Upgrade Required", "a WebSocket upgrade is expected here", refusal::kBadUpgrade,
                       "Upgrade: websocket\r\n");
    if (request[http::field::sec_websocket_version] != "13")
        return refused("426 Upgrade Required", "WebSocket version 13 is spoken here", refusal::kBadUpgrade,
                       "Sec-WebSocket-Version: 13\r\n");
    const auto key = request[http::field::sec_websocket_key];
    if (!is_key({key.data(), key.size()}))
        return refused("400 Bad Request", "no valid Sec-WebSocket-Key", refusal::kBadUpgrade);
    const std::string target(request.target());
    if (std::find(paths_.begin(), paths_.end(), target) == paths_.end())
        return refused("404 Not Found", "nothing is served at this path", refusal::kUnknownPath);
    boost::beast::websocket::detail::sec_ws_accept_type accept;
    boost::beast::websocket::detail::make_sec_ws_accept(accept, key);
    return {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                std::string(accept.data(), accept.size()) + "\r\n\r\n",
            target,
            {}};
}

}  // namespace tether::server
