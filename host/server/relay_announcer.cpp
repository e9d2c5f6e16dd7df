#include "relay_announcer.h"

#include "endpoint_text.h"
#include "rendezvous/host_port_text.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>

namespace tether::server {

using boost::asio::ip::tcp;

struct RelayAnnouncer::State : std::enable_shared_from_this<State> {
    State(boost::asio::io_context& io, RelayAnnouncerOptions options, std::function<size_t()> sessions)
        : options(std::move(options)),
          target(rendezvous::split_host_port(this->options.rendezvous)),
          sessions(std::move(sessions)),
          resolver(io),
          socket(io),
          timer(io),
          retry(this->options.first_retry) {}

    void dial();
    void on_connected();
    void announce();
    void listen();
    void drop(const std::string& why);
    // Runs `then` unless the connection it was started for has been dropped since.
    template <typename Handler>
    auto current(Handler then);

    enum class Link { Starting, Up, Down };

    const RelayAnnouncerOptions options;
    const rendezvous::HostPort target;
    const std::function<size_t()> sessions;
    tcp::resolver resolver;
    tcp::socket socket;
    boost::asio::steady_timer timer;  // the next announcement, or the next dial
    std::vector<uint8_t> outgoing;
    std::array<uint8_t, 256> incoming{};
    std::chrono::milliseconds retry;
    uint64_t generation = 0;  // one more at each drop: handlers of an older connection do nothing
    Link link = Link::Starting;
    bool stopped = false;
};

template <typename Handler>
auto RelayAnnouncer::State::current(Handler then) {
    return [self = shared_from_this(), started = generation, then](const boost::system::error_code& ec, auto&&... rest) {
        if (self->stopped || started != self->generation || ec == boost::asio::error::operation_aborted) return;
        then(ec, rest...);
    };
}

void RelayAnnouncer::State::dial() {
    resolver.async_resolve(target.host, std::to_string(target.port),
                           current([this](const boost::system::error_code& ec, const tcp::resolver::results_type& found) {
                               if (ec) return drop("cannot resolve it: " + ec.message());
                               boost::asio::async_connect(
                                   socket, found, current([this](const boost::system::error_code& connected, const auto& /*endpoint*/) {
                                       if (connected) return drop(connected.message());
                                       on_connected();
                                   }));
                           }));
}

void RelayAnnouncer::State::on_connected() {
    if (link != Link::Up)
        spdlog::info("relay: announcing {} to the rendezvous server {}", options.public_addr, options.rendezvous);
    link = Link::Up;
    retry = options.first_retry;
    listen();
    announce();
}

void RelayAnnouncer::State::announce() {
    proto::RendezvousMessage message;
    auto* a = message.mutable_relay_announce();
    a->set_addr(options.public_addr);
    a->set_sessions(static_cast<uint32_t>(std::min<size_t>(sessions(), std::numeric_limits<uint32_t>::max())));
    a->set_capacity(options.capacity);
    a->set_websocket_addr(options.websocket_addr);
    a->set_mac(rendezvous::relay_announce_mac(options.secret, *a));
    outgoing = rendezvous::encode_frame(message);
    boost::asio::async_write(socket, boost::asio::buffer(outgoing), current([this](const boost::system::error_code& ec, size_t) {
                                 if (ec) return drop(ec.message());
                                 timer.expires_after(options.period);
                                 timer.async_wait(current([this](const boost::system::error_code&) { announce(); }));
                             }));
}

// The server has nothing to say to a relay; reading is how a closed connection shows.
void RelayAnnouncer::State::listen() {
    socket.async_read_some(boost::asio::buffer(incoming), current([this](const boost::system::error_code& ec, size_t) {
                               if (ec == boost::asio::error::eof) return drop("the server closed the connection");
                               if (ec) return drop(ec.message());
                               listen();
                           }));
}

void RelayAnnouncer::State::drop(const std::string& why) {
    ++generation;
    boost::system::error_code ignored;
    socket.close(ignored);
    timer.cancel();
    if (link != Link::Down)
        spdlog::warn("relay: {} the rendezvous server {}: {}; trying again, backing off up to {} s",
                     link == Link::Up ? "lost" : "cannot reach", options.rendezvous, why, options.max_retry.count() / 1000);
    link = Link::Down;
    timer.expires_after(retry);
    retry = std::min(retry * 2, options.max_retry);
    timer.async_wait(current([this](const boost::system::error_code&) { dial(); }));
}

RelayAnnouncer::RelayAnnouncer(boost::asio::io_context& io, RelayAnnouncerOptions options,
                               std::function<size_t()> sessions)
    : state_(std::make_shared<State>(io, std::move(options), std::move(sessions))) {
    state_->dial();
}

RelayAnnouncer::~RelayAnnouncer() { stop(); }

void RelayAnnouncer::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->resolver.cancel();
    state_->timer.cancel();
    state_->socket.close(ignored);
}

}  // namespace tether::server
