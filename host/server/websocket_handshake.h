// The server's side of a WebSocket upgrade (RFC 6455, 4.2) on bytes as they
// arrive: the request header, bounded in size and parsed by Beast's HTTP
// parser, then the answer: a 101 with the accept key for an upgrade to a
// path served, else an HTTP error saying why. Nothing here touches a socket,
// so the fuzz target drives exactly what the gateway does.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tether::server {

class UpgradeRequest {
public:
    // An upgrade request takes a few hundred bytes; a header past this is refused.
    static constexpr size_t kMaxRequest = 4096;

    struct Answer {
        std::string response;       // the HTTP response to write, whole
        std::string path;           // the path served; empty when refused
        std::string_view refusal;   // refusal:: reason for the metrics when refused
    };

    explicit UpgradeRequest(std::vector<std::string> paths);

    // The bytes read since the last call; the answer once the request is
    // whole, or cannot be one. Bytes after the request are refused: a client
    // waits for the answer before it sends a frame (RFC 6455, 4.1).
    std::optional<Answer> feed(std::span<const uint8_t> bytes);

private:
    Answer judge() const;

    std::vector<std::string> paths_;
    boost::beast::http::request_parser<boost::beast::http::empty_body> parser_;
    std::string unparsed_;  // what the parser has not taken yet: part of a line
};

}  // namespace tether::server
