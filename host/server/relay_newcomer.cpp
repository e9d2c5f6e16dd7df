#include "relay_newcomer.h"

#include "relay_answer.h"
#include "relay_pairing.h"
#include "rendezvous/signatures.h"

#include <sys/socket.h>

#include <cerrno>

namespace tether::server {

using boost::asio::ip::tcp;

RelayNewcomer::RelayNewcomer(std::shared_ptr<RelayState> state, RelayPeer peer, boost::asio::ip::address source)
    : state_(std::move(state)),
      peer_(std::move(peer)),
      deadline_(state_->io),
      source_(source),
      hello_(peer_.framing, rendezvous::kMaxMessage) {
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
    read_message(peer_.socket, hello_, [self = shared_from_this()](MessageDecoder::State read) { self->on_hello(read); });
}

void RelayNewcomer::on_hello(MessageDecoder::State read) {
    if (left_) return;
    auto verdict = judge_hello(read, hello_.body(), state_->options.rendezvous_key, rendezvous::unix_now());
    hello_.reset();  // nothing more to read before pairing
    if (const auto* refused = std::get_if<RelayRefusal>(&verdict)) return refuse(*refused);
    pair_or_wait(state_, shared_from_this(), std::get<proto::RelayHello>(verdict));
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
    peer_.socket.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->left_) return;
        // Readable is either the end, or bytes the peer sent ahead of pairing:
        // those wait in the socket for the session, and watching stops.
        if (!self->still_connected()) self->close();
    });
}

bool RelayNewcomer::still_connected() {
    uint8_t byte;
    const ssize_t n = ::recv(peer_.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
}

RelayPeer RelayNewcomer::take_peer() {
    leave();
    deadline_.cancel();
    boost::system::error_code ignored;
    peer_.socket.cancel(ignored);
    return std::move(peer_);
}

void RelayNewcomer::refuse(const RelayRefusal& refusal) {
    if (left_) return;
    state_->metrics.refuse(refusal.reason);
    if (refusal.answered) send_relay_answer(peer_.socket, peer_.framing, false, refusal.reason);
    close();
}

void RelayNewcomer::close() {
    const auto keep = shared_from_this();  // leave() may drop the waiting room's reference
    leave();
    deadline_.cancel();
    boost::system::error_code ignored;
    peer_.socket.shutdown(tcp::socket::shutdown_both, ignored);
    peer_.socket.close(ignored);
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
