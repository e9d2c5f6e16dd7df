#include "client_io.h"
#include "wire.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <stdexcept>

namespace tether::rendezvous {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<tcp::socket> dial(const std::string& server) {
    const size_t colon = server.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error(server + ": expected HOST:PORT");
    std::string host = server.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    tcp::socket socket(executor);
    try {
        const auto endpoints = co_await resolver.async_resolve(host, server.substr(colon + 1), asio::use_awaitable);
        co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(server + ": " + e.code().message());
    }
    socket.set_option(tcp::no_delay(true));
    co_return socket;
}

asio::awaitable<void> write_message(tcp::socket& socket, const proto::RendezvousMessage& message) {
    const std::vector<uint8_t> frame = encode_frame(message);
    co_await asio::async_write(socket, asio::buffer(frame), asio::use_awaitable);
}

asio::awaitable<proto::RendezvousMessage> read_message(tcp::socket& socket) {
    std::array<uint8_t, kFrameHeader> header;
    co_await asio::async_read(socket, asio::buffer(header), asio::use_awaitable);
    const uint32_t size = frame_length(header);
    if (size > kMaxMessage) throw std::runtime_error("the server sent an oversized message");
    std::vector<uint8_t> body(size);
    co_await asio::async_read(socket, asio::buffer(body), asio::use_awaitable);
    auto message = decode(body);
    if (!message) throw std::runtime_error("the server sent a message that does not parse");
    co_return std::move(*message);
}

Deadline::Deadline(tcp::socket& socket) : socket_(socket), timer_(socket.get_executor()) {}

Deadline::~Deadline() { timer_.cancel(); }

void Deadline::expire_after(std::chrono::steady_clock::duration wait) {
    timer_.expires_after(wait);
    arm();
}

void Deadline::arm() {
    // The flag outlives this object: a cancelled wait may complete after it is gone.
    timer_.async_wait([expired = expired_, &socket = socket_](const boost::system::error_code& ec) {
        if (ec) return;  // re-armed or disarmed
        *expired = true;
        boost::system::error_code ignored;
        socket.close(ignored);
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
