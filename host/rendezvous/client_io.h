// The peers' side of the rendezvous wire over TCP, as Asio coroutines: dial
// a server, write and read one framed message, and a deadline that closes
// the socket when an exchange takes too long (Boost 1.74 has no awaitable
// timeouts of its own).
#pragma once

#include "rendezvous.pb.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace tether::rendezvous {

// Resolves "host:port" and connects; throws std::runtime_error naming the server.
boost::asio::awaitable<boost::asio::ip::tcp::socket> dial(const std::string& server);
boost::asio::awaitable<void> write_message(boost::asio::ip::tcp::socket& socket,
                                           const proto::RendezvousMessage& message);
// Throws std::runtime_error for a closed connection, an oversized or unparsable frame.
boost::asio::awaitable<proto::RendezvousMessage> read_message(boost::asio::ip::tcp::socket& socket);

// Closes the socket when the time set last passes; destroying it disarms it.
class Deadline {
public:
    explicit Deadline(boost::asio::ip::tcp::socket& socket);
    ~Deadline();
    void expire_after(std::chrono::steady_clock::duration wait);
    bool expired() const { return *expired_; }

private:
    void arm();
    boost::asio::ip::tcp::socket& socket_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<bool> expired_ = std::make_shared<bool>(false);
};

// Runs `work` on its own io_context on the calling thread, giving up after `timeout`;
// rethrows what it threw, or std::runtime_error("... timed out").
void run_for(std::function<boost::asio::awaitable<void>()> work, std::chrono::steady_clock::duration timeout,
             const std::string& what);

}  // namespace tether::rendezvous
