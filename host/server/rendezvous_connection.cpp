#include "rendezvous_connection.h"

#include "refusal_reasons.h"
#include "rendezvous/wire.h"

#include <boost/asio/write.hpp>

namespace tether::server {
namespace {

// A host is sent heartbeats and the odd Incoming; one that lets this much pile up does not read.
constexpr size_t kMaxQueuedBytes = 16 * 1024;

}  // namespace

RendezvousConnection::RendezvousConnection(Socket socket, Framing framing, const boost::asio::ip::address& remote,
                                           Events& events)
    : socket_(std::move(socket)),
      framing_(framing),
      remote_(remote),
      events_(events),
      incoming_(framing, rendezvous::kMaxMessage) {}

boost::asio::ip::address RendezvousConnection::local_address() const {
    boost::system::error_code ec;
    const auto local = socket_.local_endpoint(ec);
    return ec ? boost::asio::ip::address() : local.address();
}

void RendezvousConnection::start(Clock::time_point first_frame_deadline) {
    deadline = first_frame_deadline;
    read_next();
}

void RendezvousConnection::read_next() {
    read_message(socket_, incoming_, [self = shared_from_this()](MessageDecoder::State read) { self->on_read(read); });
}

void RendezvousConnection::on_read(MessageDecoder::State read) {
    using State = MessageDecoder::State;
    if (!open_) return;
    switch (read) {
    case State::Message:
        events_.on_frame(shared_from_this(), incoming_.body());  // reads nothing: the body stays put
        incoming_.reset();
        break;
    case State::Ping:
        queue(control_frame(websocket::Opcode::Pong, incoming_.body()));
        incoming_.reset();
        break;
    case State::Oversized:
        events_.on_refused(refusal::kOversized);
        return close();
    case State::Empty:
    case State::Broken:
        events_.on_refused(refusal::kMalformed);
        return close();
    case State::Reading:
    case State::Closed:
        return close();
    }
    if (open_ && !closing_) read_next();
}

void RendezvousConnection::send(const proto::RendezvousMessage& message) { queue(framed(framing_, message)); }

void RendezvousConnection::send_then_close(const proto::RendezvousMessage& message) {
    send(message);
    // A WebSocket peer hears the end in its own protocol.
    if (framing_ == Framing::WebSocket) queue(normal_close());
    closing_ = true;
    if (open_ && !writing_) close();
}

void RendezvousConnection::queue(std::vector<uint8_t> bytes) {
    if (!open_ || closing_) return;
    if (queued_bytes_ + bytes.size() > kMaxQueuedBytes) {
        events_.on_refused(refusal::kBacklog);
        return close();
    }
    queued_bytes_ += bytes.size();
    queue_.push_back(std::move(bytes));
    if (!writing_) write_next();
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
