#include "rendezvous_connection.h"

#include "first_frame.h"
#include "refusal_reasons.h"
#include "rendezvous/wire.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace tether::server {
namespace {

// A host is sent heartbeats and the odd Incoming; one that lets this much pile up does not read.
constexpr size_t kMaxQueuedBytes = 16 * 1024;

}  // namespace

RendezvousConnection::RendezvousConnection(Socket socket, const boost::asio::ip::address& remote, Events& events)
    : socket_(std::move(socket)), remote_(remote), events_(events) {}

boost::asio::ip::address RendezvousConnection::local_address() const {
    boost::system::error_code ec;
    const auto local = socket_.local_endpoint(ec);
    return ec ? boost::asio::ip::address() : local.address();
}

void RendezvousConnection::start(Clock::time_point first_frame_deadline) {
    deadline = first_frame_deadline;
    read_header();
}

void RendezvousConnection::read_header() {
    boost::asio::async_read(socket_, boost::asio::buffer(header_),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                                if (!self->open_) return;
                                if (ec) return self->close();
                                const uint32_t length = rendezvous::frame_length(self->header_);
                                if (const auto refused = frame_length_refusal(length)) {
                                    self->events_.on_refused(*refused);
                                    return self->close();
                                }
                                self->read_body(length);
                            });
}

void RendezvousConnection::read_body(uint32_t length) {
    body_ = std::make_unique<uint8_t[]>(length);
    boost::asio::async_read(socket_, boost::asio::buffer(body_.get(), length),
                            [self = shared_from_this(), length](const boost::system::error_code& ec, size_t) {
                                if (!self->open_) return;
                                if (ec) return self->close();
                                const auto body = std::move(self->body_);
                                self->events_.on_frame(self, {body.get(), length});
                                if (self->open_ && !self->closing_) self->read_header();
                            });
}

void RendezvousConnection::send(const proto::RendezvousMessage& message) {
    if (!open_ || closing_) return;
    auto frame = rendezvous::encode_frame(message);
    if (queued_bytes_ + frame.size() > kMaxQueuedBytes) {
        events_.on_refused(refusal::kBacklog);
        return close();
    }
    queued_bytes_ += frame.size();
    queue_.push_back(std::move(frame));
    if (!writing_) write_next();
}

void RendezvousConnection::send_then_close(const proto::RendezvousMessage& message) {
    send(message);
    closing_ = true;
    if (open_ && !writing_) close();
}

void RendezvousConnection::write_next() {
    writing_ = true;
    boost::asio::async_write(socket_, boost::asio::buffer(queue_.front()),
                             [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                                 self->writing_ = false;
                                 if (!self->open_) return;
                                 if (ec) return self->close();
                                 self->queued_bytes_ -= self->queue_.front().size();
                                 self->queue_.erase(self->queue_.begin());
                                 if (!self->queue_.empty()) return self->write_next();
                                 if (self->closing_) self->close();
                             });
}

void RendezvousConnection::close() {
    if (!open_) return;
    const auto keep_alive = shared_from_this();  // the server drops its reference in on_closed
    open_ = false;
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
    queue_ = {};
    queued_bytes_ = 0;
    events_.on_closed(*this);
}

}  // namespace tether::server
