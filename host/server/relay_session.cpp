#include "relay_session.h"

#include "reframing_channel.h"
#include "relay_answer.h"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace tether::server {
namespace {

using boost::asio::ip::tcp;
using Clock = TokenBucket::Clock;

constexpr uint64_t kMaxRead = 1 << 20;   // the channel's own capacity bounds a read first
constexpr size_t kTurnBytes = 4 << 20;   // then the loop lets other sessions run
constexpr uint64_t kWakeBytes = 64 * 1024;  // a capped direction sleeps until this much (or a burst) is allowed

void prepare(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.native_non_blocking(true, ignored);
    socket.set_option(tcp::no_delay(true), ignored);  // a remote desktop's small messages go on at once
}

}  // namespace

void RelaySession::start(const std::shared_ptr<RelayState>& state, RelayPeer host, RelayPeer viewer) {
    if (!send_relay_answer(host.socket, host.framing, true) || !send_relay_answer(viewer.socket, viewer.framing, true)) {
        state->metrics.refuse("peer gone at pairing");
        return;  // the sockets close here
    }
    std::make_shared<RelaySession>(state, std::move(host), std::move(viewer))->begin();
}

RelaySession::Channels RelaySession::channels_for(CopyPool& pool, Framing host, Framing viewer) {
    if (host == Framing::LengthPrefixed && viewer == Framing::LengthPrefixed)
        return {std::make_unique<CopyChannel>(pool), std::make_unique<CopyChannel>(pool)};
    auto to_viewer = std::make_unique<ReframingChannel>(pool, host, viewer);
    auto to_host = std::make_unique<ReframingChannel>(pool, viewer, host);
    // Each side's pings are answered by the direction that writes to it.
    to_viewer->answer_pings_through(*to_host);
    to_host->answer_pings_through(*to_viewer);
    return {std::move(to_viewer), std::move(to_host)};
}

RelaySession::Direction::Direction(RelayState& state, tcp::socket& from, tcp::socket& to,
                                   std::unique_ptr<ByteChannel> channel)
    : from(from),
      to(to),
      channel(std::move(channel)),
      budget(state.session_rate, Clock::now()),
      budget_timer(state.io) {}

RelaySession::RelaySession(std::shared_ptr<RelayState> state, RelayPeer host, RelayPeer viewer)
    : RelaySession(state, std::move(host.socket), std::move(viewer.socket),
                   channels_for(state->copy_pool, host.framing, viewer.framing)) {}

RelaySession::RelaySession(std::shared_ptr<RelayState> state, tcp::socket host, tcp::socket viewer, Channels channels)
    : state_(std::move(state)),
      host_(std::move(host)),
      viewer_(std::move(viewer)),
      to_viewer_(*state_, host_, viewer_, std::move(channels.to_viewer)),
      to_host_(*state_, viewer_, host_, std::move(channels.to_host)),
      idle_timer_(state_->io),
      last_moved_(Clock::now()) {
    prepare(host_);
    prepare(viewer_);
    state_->sessions.insert(this);
    ++state_->session_count;
    state_->metrics.relay_sessions.Increment();
}

RelaySession::~RelaySession() { close(); }

void RelaySession::begin() {
    arm_idle_timer();
    pump(to_viewer_);
    pump(to_host_);
}

void RelaySession::pump(Direction& d) {
    size_t moved_this_turn = 0;
    while (!closed_) {
        if (d.channel->held() > 0) {
            const Moved sent = d.channel->drain(d.to.native_handle());
            if (sent.status == Moved::Failed) return close();  // the receiver is gone
            if (sent.bytes == 0) return wait(d, d.to, tcp::socket::wait_write);
            state_->metrics.relayed_bytes.Increment(static_cast<double>(sent.bytes));
            last_moved_ = Clock::now();
            moved_this_turn += sent.bytes;
            continue;
        }
        if (d.source_ended) {
            // What the destination's framing says at an end (a WebSocket close) goes out first.
            if (!d.source_failed && !std::exchange(d.end_said, true) && d.channel->end_output()) continue;
            return finish(d);
        }
        if (moved_this_turn >= kTurnBytes) {
            boost::asio::post(state_->io, [self = shared_from_this(), &d] {
                if (!self->closed_) self->pump(d);
            });
            return;
        }
        const auto now = Clock::now();
        const uint64_t budget = allowed(d, now);
        if (budget == 0) return wait_for_budget(d, now);
        const Moved read = d.channel->fill(d.from.native_handle(), budget);
        switch (read.status) {
        case Moved::Progress:
            d.budget.consume(state_->session_rate, read.bytes);
            state_->total_budget.consume(state_->total_rate, read.bytes);
            break;
        case Moved::WouldBlock:
            return wait(d, d.from, tcp::socket::wait_read);
        case Moved::End:
            d.source_ended = true;
            break;
        case Moved::Failed:
            d.source_ended = d.source_failed = true;
            break;
        }
    }
}

void RelaySession::finish(Direction& d) {
    d.finished = true;
    if (d.source_failed) return close();
    boost::system::error_code ignored;
    d.to.shutdown(tcp::socket::shutdown_send, ignored);
    if (to_viewer_.finished && to_host_.finished) close();
}

uint64_t RelaySession::allowed(Direction& d, Clock::time_point now) {
    return std::min({d.budget.available(state_->session_rate, now),
                     state_->total_budget.available(state_->total_rate, now), kMaxRead});
}

void RelaySession::wait_for_budget(Direction& d, Clock::time_point now) {
    const auto delay = std::max({d.budget.time_until(state_->session_rate, kWakeBytes, now),
                                 state_->total_budget.time_until(state_->total_rate, kWakeBytes, now),
                                 Clock::duration(std::chrono::milliseconds(1))});
    d.budget_timer.expires_after(delay);
    d.budget_timer.async_wait([self = shared_from_this(), &d](const boost::system::error_code& ec) {
        if (!ec && !self->closed_) self->pump(d);
    });
}

void RelaySession::wait(Direction& d, tcp::socket& socket, boost::asio::socket_base::wait_type what) {
    socket.async_wait(what, [self = shared_from_this(), &d](const boost::system::error_code& ec) {
        if (!ec && !self->closed_) self->pump(d);
    });
}

void RelaySession::arm_idle_timer() {
    idle_timer_.expires_at(last_moved_ + state_->options.idle_timeout);
    idle_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->closed_) return;
        if (Clock::now() - self->last_moved_ >= self->state_->options.idle_timeout)
            self->close();
        else
            self->arm_idle_timer();
    });
}

void RelaySession::close() {
    if (closed_) return;
    closed_ = true;
    state_->sessions.erase(this);
    --state_->session_count;
    state_->metrics.relay_sessions.Decrement();
    boost::system::error_code ignored;
    to_viewer_.budget_timer.cancel();
    to_host_.budget_timer.cancel();
    idle_timer_.cancel();
    host_.close(ignored);
    viewer_.close(ignored);
}

}  // namespace tether::server
