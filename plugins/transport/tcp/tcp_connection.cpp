#include "tcp_connection.h"

#include "tcp_transport.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>

namespace tether::tcp {
namespace {

std::string describe(const boost::system::error_code& ec) {
    namespace error = boost::asio::error;
    if (ec == error::eof) return "closed by peer";
    if (ec == error::connection_reset || ec == error::connection_aborted || ec == error::broken_pipe)
        return "connection reset";
    return ec.message();
}

}  // namespace

TcpConnection::TcpConnection(TcpTransport& transport, boost::asio::ip::tcp::socket socket)
    : ConnectionLife(transport), host_(transport.host()), socket_(std::move(socket)), socket_fd_(socket_.native_handle()) {
    // Small messages (input, control) must not wait for Nagle's algorithm.
    boost::system::error_code ignored;
    socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
}

TcpConnection::~TcpConnection() {
    std::lock_guard lock(mutex_);
    drop_queued(0, queue_.size());
}

// ---- the ABI's calls ----

void TcpConnection::send(tether_buffer* message) {
    if (message == nullptr) throw std::invalid_argument("no message to send");
    if (message->size > kMaxMessageSize) throw std::length_error(too_large_reason(message->size));
    {
        std::lock_guard lock(mutex_);
        if (!open_) throw std::runtime_error("connection closed: " + closed_reason_);
        queue_.push_back({message, encode_length(static_cast<uint32_t>(message->size))});
        host_.buffer_ref(message);
        queued_bytes_ += kHeaderSize + message->size;
        if (write_scheduled_) return;
        write_scheduled_ = true;
    }
    boost::asio::post(transport_.network().context(), [self = shared_from_this()] { self->write_next(); });
}

size_t TcpConnection::pending_bytes() {
    std::lock_guard lock(mutex_);
    size_t pending = queued_bytes_ - batch_written_;
    // The socket stays open while open_ is set, since end() clears it first.
    if (open_) pending += transport::unacknowledged_bytes(socket_fd_);
    return pending;
}

// ---- network thread ----

void TcpConnection::finish(const std::string& reason) {
    // Not yet reading, or nothing ever sent: nothing a reset could destroy.
    if (ended() || !started_ || !sent_any_) return end(reason);
    flush_and_linger(reason, kLingerTime);
    // The read under way (there always is one once started) goes on in on_read, discarding.
}

void TcpConnection::announce_end() {
    boost::system::error_code ignored;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

void TcpConnection::discard_next() {
    socket_.async_read_some(boost::asio::buffer(discarded_),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t count) {
                                self->on_read(ec, count);
                            });
}

void TcpConnection::close_socket() {
    const auto keep = shared_from_this();  // forget() may drop the last other reference
    {
        std::lock_guard lock(mutex_);
        flushing_ = false;
        // Messages in the current write are released when it completes (aborted).
        drop_queued(writing_, queue_.size());
    }
    const bool was_lingering = stop_lingering();
    boost::system::error_code ignored;
    socket_.close(ignored);
    if (was_lingering) transport_.forget(this);
}

void TcpConnection::read_next() {
    const std::span<uint8_t> space = reader_.free_space();
    socket_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t count) {
                                self->on_read(ec, count);
                            });
}

void TcpConnection::on_read(const boost::system::error_code& ec, size_t count) {
    if (lingering_) return ec ? close_socket() : discard_next();  // the peer's FIN, or more to discard
    if (ended()) return;
    if (ec) {
        // A peer that stops mid-message sent a truncated frame, not a goodbye.
        if (ec == boost::asio::error::eof && reader_.mid_message()) return end("closed by peer in the middle of a message (truncated frame)");
        return end(describe(ec));
    }
    received_bytes_ += count;
    const auto invalid = reader_.consume(count, [this] { return callbacks_.limit(); }, [this](const uint8_t* data, size_t size) {
        callbacks_.deliver(data, size);
        return !ended();  // the host may have closed the connection meanwhile
    });
    if (lingering_) return discard_next();  // closed from within on_message: drain from here on
    if (ended()) return;
    if (invalid) return end(*invalid);
    try {
        read_next();
    } catch (const std::bad_alloc&) {
        end("out of memory");
    }
}

void TcpConnection::write_next() {
    size_t buffers = 0;
    {
        std::lock_guard lock(mutex_);
        if (!open_ && !flushing_) return;
        size_t bytes = 0;
        while (writing_ < queue_.size() && writing_ < kMaxBatchMessages && bytes < kMaxBatchBytes) {
            const Outgoing& next = queue_[writing_++];
            gather_[buffers++] = boost::asio::buffer(next.header);
            gather_[buffers++] = boost::asio::buffer(next.message->data, next.message->size);
            bytes += next.message->size;
        }
        if (writing_ == 0) {
            write_scheduled_ = false;
            return;
        }
    }
    sent_any_ = true;
    // The completion condition sees each partial write land in the kernel,
    // which counts those bytes from then on (pending_bytes()).
    const auto written_so_far = [this](const boost::system::error_code& ec, size_t transferred) -> size_t {
        std::lock_guard lock(mutex_);
        batch_written_ = transferred;
        return ec ? 0 : std::numeric_limits<size_t>::max();
    };
    boost::asio::async_write(socket_, std::span<const boost::asio::const_buffer>(gather_.data(), buffers),
                             written_so_far, [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                                 self->on_written(ec);
                             });
}

void TcpConnection::on_written(const boost::system::error_code& ec) {
    bool flushed = false;
    {
        std::lock_guard lock(mutex_);
        drop_queued(0, writing_);
        writing_ = 0;
        batch_written_ = 0;
        flushed = flushing_ && queue_.empty();
        if (flushed) flushing_ = false;
    }
    if (ec) return lingering_ ? close_socket() : end(describe(ec));
    if (flushed) return announce_end();
    write_next();
}

void TcpConnection::drop_queued(size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
        queued_bytes_ -= kHeaderSize + queue_[i].message->size;
        host_.buffer_unref(queue_[i].message);
    }
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(first), queue_.begin() + static_cast<std::ptrdiff_t>(last));
}

}  // namespace tether::tcp
