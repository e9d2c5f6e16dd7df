// The peers' side of the rendezvous wire, as Asio coroutines: dial a server
// over TCP (each message a length-prefixed frame) or over WebSocket (each
// message a binary message), write and read one message, and a deadline
// that closes the connection when an exchange takes too long (Boost 1.74
// has no awaitable timeouts of its own).
#pragma once

#include "rendezvous.pb.h"
#include "server_address.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace tether::rendezvous {

class ServerLink {
public:
    // Connects (and upgrades, over WebSocket); throws std::runtime_error naming the server.
    static boost::asio::awaitable<std::unique_ptr<ServerLink>> dial(const ServerAddress& server);
    virtual ~ServerLink() = default;

    virtual boost::asio::awaitable<void> write(const proto::RendezvousMessage& message) = 0;
    // Throws std::runtime_error for a closed connection, an oversized or unparsable message.
    virtual boost::asio::awaitable<proto::RendezvousMessage> read() = 0;
    // Closes at once: what is under way ends with an error.
    virtual void close() = 0;
};

// Closes the link when the time set last passes; destroying it disarms it.
class Deadline {
public:
    explicit Deadline(ServerLink& link, const boost::asio::any_io_executor& executor);
    ~Deadline();
    void expire_after(std::chrono::steady_clock::duration wait);
    bool expired() const { return *expired_; }

private:
    void arm();
    ServerLink& link_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<bool> expired_ = std::make_shared<bool>(false);
};

// Runs `work` on its own io_context on the calling thread, giving up after `timeout`;
// rethrows what it threw, or std::runtime_error("... timed out").
void run_for(std::function<boost::asio::awaitable<void>()> work, std::chrono::steady_clock::duration timeout,
             const std::string& what);

}  // namespace tether::rendezvous
