#include "client_io.h"
#include "wire.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <stdexcept>

namespace tether::rendezvous {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;

asio::awaitable<tcp::socket> connect_tcp(const ServerAddress& server) {
    const std::string& where = server.host_port;
    const size_t colon = where.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error(server.text + ": expected HOST:PORT");
    std::string host = where.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    tcp::socket socket(executor);
    try {
        const auto endpoints = co_await resolver.async_resolve(host, where.substr(colon + 1), asio::use_awaitable);
        co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(server.text + ": " + e.code().message());
    }
    socket.set_option(tcp::no_delay(true));
    co_return socket;
}

// Each message a length-prefixed frame, as transport-tcp frames them.
class TcpLink final : public ServerLink {
public:
    explicit TcpLink(tcp::socket socket) : socket_(std::move(socket)) {}

    asio::awaitable<void> write(const proto::RendezvousMessage& message) override {
        const std::vector<uint8_t> frame = encode_frame(message);
        co_await asio::async_write(socket_, asio::buffer(frame), asio::use_awaitable);
    }

    asio::awaitable<proto::RendezvousMessage> read() override {
        std::array<uint8_t, kFrameHeader> header;
        co_await asio::async_read(socket_, asio::buffer(header), asio::use_awaitable);
        const uint32_t size = frame_length(header);
        if (size > kMaxMessage) throw std::runtime_error("the server sent an oversized message");
        std::vector<uint8_t> body(size);
        co_await asio::async_read(socket_, asio::buffer(body), asio::use_awaitable);
        co_return parsed(body);
    }

    void close() override {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    static proto::RendezvousMessage parsed(std::span<const uint8_t> bytes) {
        auto message = decode(bytes);
        if (!message) throw std::runtime_error("the server sent a message that does not parse");
        return std::move(*message);
    }

private:
    tcp::socket socket_;
};

// Each message one binary WebSocket message, at most kMaxMessage long.
class WebSocketLink final : public ServerLink {
public:
    explicit WebSocketLink(tcp::socket socket) : stream_(std::move(socket)) {
        stream_.binary(true);
        stream_.auto_fragment(false);  // one frame a message, as the server asks
        stream_.read_message_max(kMaxMessage);
    }

    asio::awaitable<void> upgrade(const ServerAddress& server) {
        websocket::response_type response;
        try {
            co_await stream_.async_handshake(response, server.host_port, server.path, asio::use_awaitable);
        } catch (const boost::system::system_error& e) {
            if (response.result_int() == 0) throw std::runtime_error(server.text + ": " + e.code().message());
            throw std::runtime_error(server.text + ": the server declined the WebSocket upgrade: " +
                                     std::to_string(response.result_int()) + " " + std::string(response.reason()));
        }
    }

    asio::awaitable<void> write(const proto::RendezvousMessage& message) override {
        const std::vector<uint8_t> bytes = encode(message);
        co_await stream_.async_write(asio::buffer(bytes), asio::use_awaitable);
    }

    asio::awaitable<proto::RendezvousMessage> read() override {
        boost::beast::flat_buffer buffer;
        try {
            co_await stream_.async_read(buffer, asio::use_awaitable);
        } catch (const boost::system::system_error& e) {
            if (e.code() == websocket::error::message_too_big)
                throw std::runtime_error("the server sent an oversized message");
            throw;
        }
        co_return TcpLink::parsed({static_cast<const uint8_t*>(buffer.data().data()), buffer.size()});
    }

    void close() override {
        boost::system::error_code ignored;
        stream_.next_layer().close(ignored);
    }

private:
    websocket::stream<tcp::socket> stream_;
};

}  // namespace

asio::awaitable<std::unique_ptr<ServerLink>> ServerLink::dial(const ServerAddress& server) {
    tcp::socket socket = co_await connect_tcp(server);
    if (!server.websocket()) co_return std::make_unique<TcpLink>(std::move(socket));
    auto link = std::make_unique<WebSocketLink>(std::move(socket));
    co_await link->upgrade(server);
    co_return link;
}

Deadline::Deadline(ServerLink& link, const asio::any_io_executor& executor) : link_(link), timer_(executor) {}

Deadline::~Deadline() { timer_.cancel(); }

void Deadline::expire_after(std::chrono::steady_clock::duration wait) {
    timer_.expires_after(wait);
    arm();
}

void Deadline::arm() {
    // The flag outlives this object: a cancelled wait may complete after it is gone.
    timer_.async_wait([expired = expired_, &link = link_](const boost::system::error_code& ec) {
        if (ec) return;  // re-armed or disarmed
        *expired = true;
        link.close();
    });
}

void run_for(std::function<asio::awaitable<void>()> work, std::chrono::steady_clock::duration timeout,
             const std::string& what) {
    asio::io_context io;
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, work(), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.run_for(timeout);
    if (!done) throw std::runtime_error(what + " timed out");
    if (failure) std::rethrow_exception(failure);
}

}  // namespace tether::rendezvous
