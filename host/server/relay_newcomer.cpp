#include "relay_newcomer.h"

#include "relay_answer.h"
#include "relay_pairing.h"
#include "rendezvous/signatures.h"

#include <boost/asio/read.hpp>

#include <sys/socket.h>

#include <cerrno>

namespace tether::server {

using boost::asio::ip::tcp;
using rendezvous::kFrameHeader;

RelayNewcomer::RelayNewcomer(std::shared_ptr<RelayState> state, tcp::socket socket, boost::asio::ip::address source)
    : state_(std::move(state)), socket_(std::move(socket)), deadline_(state_->io), source_(source) {
    state_->newcomers.insert(this);
    ++state_->unpaired_by_source[source_];
    ++state_->unpaired_count;
    state_->metrics.relay_unpaired.Increment();
}

RelayNewcomer::~RelayNewcomer() { leave(); }

void RelayNewcomer::start() {
    deadline_.expires_after(state_->options.pair_timeout);
    deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec) self->on_deadline();
    });
    read_header();
}

void RelayNewcomer::read_header() {
    frame_.resize(kFrameHeader);
    boost::asio::async_read(socket_, boost::asio::buffer(frame_),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                                if (self->left_) return;
                                if (ec) return self->refuse({"truncated hello"});
                                const auto size = hello_body_size(std::span(self->frame_).first<kFrameHeader>());
                                if (const auto* refused = std::get_if<RelayRefusal>(&size)) return self->refuse(*refused);
                                self->read_body(std::get<size_t>(size));
                            });
}

void RelayNewcomer::read_body(size_t size) {
    frame_.resize(kFrameHeader + size);
    boost::asio::async_read(
        socket_, boost::asio::buffer(frame_.data() + kFrameHeader, size),
        [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
            if (self->left_) return;
            if (ec) return self->refuse({"truncated hello"});
            auto verdict = check_hello_frame(self->frame_, self->state_->options.rendezvous_key, rendezvous::unix_now());
            std::vector<uint8_t>().swap(self->frame_);  // nothing more to read before pairing
            if (const auto* refused = std::get_if<RelayRefusal>(&verdict)) return self->refuse(*refused);
            pair_or_wait(self->state_, self, std::get<proto::RelayHello>(verdict));
        });
}

void RelayNewcomer::on_deadline() {
    if (left_) return;
    if (waiting_nonce_.empty()) return refuse({"no hello in time"});
    refuse({"no peer in time", true});
}

void RelayNewcomer::wait_for_peer(const std::string& session_nonce, bool host) {
    waiting_nonce_ = session_nonce;
    host_ = host;
    watch_for_leaving();
}

void RelayNewcomer::watch_for_leaving() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->left_) return;
        // Readable is either the end, or bytes the peer sent ahead of pairing:
        // those wait in the socket for the session, and watching stops.
        if (!self->still_connected()) self->close();
    });
}

bool RelayNewcomer::still_connected() {
    uint8_t byte;
    const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
}

tcp::socket RelayNewcomer::take_socket() {
    leave();
    deadline_.cancel();
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    return std::move(socket_);
}

void RelayNewcomer::refuse(const RelayRefusal& refusal) {
    if (left_) return;
    state_->metrics.refuse(refusal.reason);
    if (refusal.answered) send_relay_answer(socket_, false, refusal.reason);
    close();
}

void RelayNewcomer::close() {
    const auto keep = shared_from_this();  // leave() may drop the waiting room's reference
    leave();
    deadline_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

void RelayNewcomer::leave() {
    if (left_) return;
    left_ = true;
    state_->newcomers.erase(this);
    const auto source = state_->unpaired_by_source.find(source_);
    if (source != state_->unpaired_by_source.end() && --source->second == 0) state_->unpaired_by_source.erase(source);
    --state_->unpaired_count;
    state_->metrics.relay_unpaired.Decrement();
    if (waiting_nonce_.empty()) return;
    const auto waiting = state_->waiting.find(waiting_nonce_);
    if (waiting != state_->waiting.end() && waiting->second.get() == this) state_->waiting.erase(waiting);
}

}  // namespace tether::server
