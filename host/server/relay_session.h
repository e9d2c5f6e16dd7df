// A paired relay session: copies each direction, untouched between peers of
// one framing and translated between framings (reframing_channel.h), within
// the session's and the relay's byte-rate caps, until both ends have closed,
// one fails, or no byte moves for idle_timeout. A FIN (or a WebSocket close)
// is passed on once what was read before it is written, as a half-close (a
// FIN, or a WebSocket close then a FIN); a reset ends the session after that
// flush.
#pragma once

#include "copy_channel.h"
#include "relay_state.h"
#include "token_bucket.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace tether::server {

class RelaySession : public std::enable_shared_from_this<RelaySession> {
public:
    // Answers both peers paired and starts copying; closes both when either is gone already.
    static void start(const std::shared_ptr<RelayState>& state, RelayPeer host, RelayPeer viewer);
    RelaySession(std::shared_ptr<RelayState> state, RelayPeer host, RelayPeer viewer);
    ~RelaySession();
    RelaySession(const RelaySession&) = delete;
    RelaySession& operator=(const RelaySession&) = delete;

    void close();

private:
    struct Direction {
        Direction(RelayState& state, boost::asio::ip::tcp::socket& from, boost::asio::ip::tcp::socket& to,
                  std::unique_ptr<ByteChannel> channel);
        boost::asio::ip::tcp::socket& from;
        boost::asio::ip::tcp::socket& to;
        std::unique_ptr<ByteChannel> channel;
        TokenBucket budget;
        boost::asio::steady_timer budget_timer;
        bool source_ended = false;   // FIN or error read: flush, then pass it on
        bool source_failed = false;  // an error, not a FIN: the session ends after the flush
        bool end_said = false;       // what the destination's framing says at an end is held
        bool finished = false;
    };
    struct Channels {
        std::unique_ptr<ByteChannel> to_viewer, to_host;
    };
    static Channels channels_for(CopyPool& pool, Framing host, Framing viewer);

    RelaySession(std::shared_ptr<RelayState> state, boost::asio::ip::tcp::socket host,
                 boost::asio::ip::tcp::socket viewer, Channels channels);

    void begin();
    void pump(Direction& d);
    void finish(Direction& d);
    uint64_t allowed(Direction& d, TokenBucket::Clock::time_point now);
    void wait_for_budget(Direction& d, TokenBucket::Clock::time_point now);
    void wait(Direction& d, boost::asio::ip::tcp::socket& socket, boost::asio::socket_base::wait_type what);
    void arm_idle_timer();

    std::shared_ptr<RelayState> state_;
    boost::asio::ip::tcp::socket host_;
    boost::asio::ip::tcp::socket viewer_;
    Direction to_viewer_;
    Direction to_host_;
    boost::asio::steady_timer idle_timer_;
    TokenBucket::Clock::time_point last_moved_;
    bool closed_ = false;
};

}  // namespace tether::server
