#include "ws_connection.h"

#include "message_limits.h"
#include "ws_transport.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/error.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tether::ws {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using transport::kMaxMessageSize;

std::string describe(const boost::system::error_code& ec, size_t limit) {
    if (ec == websocket::error::closed || ec == asio::error::eof) return "closed by peer";
    if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted || ec == asio::error::broken_pipe)
        return "connection reset";
    if (ec == websocket::error::message_too_big) return transport::over_limit_reason(limit);
    return "WebSocket: " + ec.message();
}

}  // namespace

WsConnection::WsConnection(WsTransport& transport, WsStream stream, bool masked)
    : ConnectionLife(transport),
      host_(transport.host()),
      masked_(masked),
      stream_(std::move(stream)),
      socket_fd_(boost::beast::get_lowest_layer(stream_).socket().native_handle()),
      written_(boost::beast::get_lowest_layer(stream_).rate_policy().written),
      read_(boost::beast::get_lowest_layer(stream_).rate_policy().read) {
    // Small messages (input, control) must not wait for Nagle's algorithm.
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(stream_).socket().set_option(asio::ip::tcp::no_delay(true), ignored);
    settle(stream_, kLingerTime);
}

WsConnection::~WsConnection() {
    std::lock_guard lock(mutex_);
    drop_queued(0, queue_.size());
}

// ---- the ABI's calls ----

void WsConnection::send(tether_buffer* message) {
    if (message == nullptr) throw std::invalid_argument("no message to send");
    if (message->size > kMaxMessageSize) throw std::length_error(transport::too_large_reason(message->size));
    {
        std::lock_guard lock(mutex_);
        if (!open_) throw std::runtime_error("connection closed: " + closed_reason_);
        queue_.push_back(message);
        host_.buffer_ref(message);
        queued_bytes_ += frame_size(message->size, masked_);
        if (write_scheduled_) return;
        write_scheduled_ = true;
    }
    asio::post(transport_.network().context(), [self = shared_from_this()] { self->write_next(); });
}

size_t WsConnection::pending_bytes() {
    std::lock_guard lock(mutex_);
    uint64_t pending = queued_bytes_;
    if (writing_) {
        const uint64_t front = frame_size(queue_.front()->size, masked_);
        pending -= std::min(front, *written_ - written_at_start_);
    }
    // The socket stays open while open_ is set, since end() clears it first.
    if (open_) pending += transport::unacknowledged_bytes(socket_fd_);
    return static_cast<size_t>(pending);
}

// ---- network thread ----

size_t WsConnection::limit() const { return lingering_ ? kDiscardLimit : callbacks_.limit(); }

void WsConnection::read_next() {
    // Asked before each message: Beast refuses a frame that would take the
    // message past it when the frame's header arrives, before its payload.
    stream_.read_message_max(limit());
    stream_.async_read(incoming_, [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
        self->on_read(ec);
    });
}

void WsConnection::on_read(const boost::system::error_code& ec) {
    if (lingering_) {
        incoming_.clear();
        // The peer's close ends the closing handshake, which closes the socket itself.
        if (ec == websocket::error::closed) return;
        return ec ? close_socket() : read_next();
    }
    if (ended()) return;
    if (ec) return end(describe(ec, limit()));
    if (!stream_.got_binary()) return end("WebSocket: a text message (this transport speaks binary messages)");
    callbacks_.deliver(static_cast<const uint8_t*>(incoming_.data().data()), incoming_.size());
    incoming_.clear();
    if (incoming_.capacity() > kKeptCapacity) incoming_.shrink_to_fit();
    if (lingering_) return read_next();  // closed from within a callback: drain from here on
    if (ended()) return;
    read_next();
}

void WsConnection::finish(const std::string& reason) {
    // Not yet reading: nothing of the peer's close could be read.
    if (ended() || !started_) return end(reason);
    flush_and_linger(reason, kLingerTime);
    // The read under way goes on in on_read, discarding.
}

void WsConnection::announce_end() {
    if (std::exchange(close_sent_, true)) return;
    stream_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](const boost::system::error_code&) { self->close_socket(); });
}

void WsConnection::close_socket() {
    const auto keep = shared_from_this();  // forget() may drop the last other reference
    {
        std::lock_guard lock(mutex_);
        flushing_ = false;
        // The message being written is released when its write completes (aborted).
        drop_queued(writing_ ? 1 : 0, queue_.size());
    }
    const bool was_lingering = stop_lingering();
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(stream_).socket().close(ignored);
    if (was_lingering) transport_.forget(this);
}

void WsConnection::write_next() {
    tether_buffer* message = nullptr;
    {
        std::lock_guard lock(mutex_);
        if ((!open_ && !flushing_) || queue_.empty()) {
            write_scheduled_ = false;
            return;
        }
        message = queue_.front();
        writing_ = true;
        written_at_start_ = *written_;
    }
    stream_.async_write(asio::buffer(message->data, message->size),
                        [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                            self->on_written(ec);
                        });
}

void WsConnection::on_written(const boost::system::error_code& ec) {
    bool flushed = false;
    {
        std::lock_guard lock(mutex_);
        writing_ = false;
        if (!queue_.empty()) drop_queued(0, 1);
        flushed = flushing_ && queue_.empty();
        if (flushed) flushing_ = false;
        if (ec || flushed) write_scheduled_ = false;
    }
    if (ec) return lingering_ ? close_socket() : end(describe(ec, kMaxMessageSize));
    if (flushed) return announce_end();
    write_next();
}

void WsConnection::drop_queued(size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
        queued_bytes_ -= frame_size(queue_[i]->size, masked_);
        host_.buffer_unref(queue_[i]);
    }
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(first), queue_.begin() + static_cast<std::ptrdiff_t>(last));
}

}  // namespace tether::ws
