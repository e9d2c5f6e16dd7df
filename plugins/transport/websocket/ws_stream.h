// The stream every connection of this transport speaks through: a WebSocket
// over Beast's basic_stream, whose rate policy here limits nothing and only
// counts: what reaches the kernel, so pending_bytes falls as a large message
// goes out rather than all at once at its end, and what comes from it, so
// received_bytes rises while a large message arrives.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/rate_policy.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>

namespace tether::ws {

class CountingPolicy {
public:
    // Read by pending_bytes() and received_bytes() on any thread, written on the network thread.
    const std::shared_ptr<std::atomic<uint64_t>> written = std::make_shared<std::atomic<uint64_t>>(0);
    const std::shared_ptr<std::atomic<uint64_t>> read = std::make_shared<std::atomic<uint64_t>>(0);

private:
    friend class boost::beast::rate_policy_access;
    static constexpr size_t kAll = std::numeric_limits<size_t>::max();
    size_t available_read_bytes() const noexcept { return kAll; }
    size_t available_write_bytes() const noexcept { return kAll; }
    void transfer_read_bytes(size_t bytes) const noexcept { *read += bytes; }
    void transfer_write_bytes(size_t bytes) const noexcept { *written += bytes; }
    void on_timer() const noexcept {}
};

using TcpStream = boost::beast::basic_stream<boost::asio::ip::tcp, boost::asio::any_io_executor, CountingPolicy>;
using WsStream = boost::beast::websocket::stream<TcpStream>;

// What Beast does once a connection's close frames have crossed, or once it
// failed it (a frame over the size limit, a protocol error): found by
// argument-dependent lookup for this stream, in place of Beast's own, which
// waits for the peer to end the TCP connection with no timer at all, so a
// hostile peer that never did would keep a connection the host was never
// told had ended. Ours ends the socket at once.
template <typename Handler>
void async_teardown(boost::beast::role_type, TcpStream& stream, Handler&& handler) {
    boost::system::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    boost::asio::post(stream.get_executor(),
                      boost::beast::bind_front_handler(std::forward<Handler>(handler), boost::system::error_code()));
}

// Bytes a binary frame of `payload` bytes takes on the wire: one frame a
// message (auto-fragmentation off), masked when a client sends it.
inline uint64_t frame_size(uint64_t payload, bool masked) {
    const uint64_t length_field = payload < 126 ? 0 : payload <= 0xffff ? 2 : 8;
    return 2 + length_field + (masked ? 4 : 0) + payload;
}

// The settings every connection gets once its upgrade is done: binary
// messages, each in one frame, no pings of our own (sessions keep
// themselves alive), and `closing` for the closing handshake.
void settle(WsStream& stream, std::chrono::milliseconds closing);

}  // namespace tether::ws
