// `tether serve --relay-only`: tells a rendezvous server every few seconds
// that this relay is there and how loaded it is (RelayAnnounce, docs/rendezvous.md),
// on one TCP connection kept open and dialled again, with backoff, whenever it
// drops. Logs each change of state once, never each attempt. Runs on the
// caller's io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tether::server {

struct RelayAnnouncerOptions {
    std::string rendezvous;       // "host:port" of the rendezvous server
    std::string public_addr;      // "host:port" that peers dial to reach this relay
    std::string websocket_addr;   // "host:port" of its WebSocket port (path /relay); empty: none
    std::vector<uint8_t> secret;  // shared with the rendezvous server: authenticates the announcements
    uint32_t capacity = 0;        // sessions this relay takes
    std::chrono::milliseconds period{5000};
    std::chrono::milliseconds first_retry{1000};  // doubled after each failure, up to max_retry
    std::chrono::milliseconds max_retry{30'000};
};

class RelayAnnouncer {
public:
    // Starts dialling at once. `sessions` says the load now; it is called on the io_context's thread.
    // Throws std::invalid_argument when options.rendezvous is not "host:port".
    RelayAnnouncer(boost::asio::io_context& io, RelayAnnouncerOptions options, std::function<size_t()> sessions);
    ~RelayAnnouncer();
    RelayAnnouncer(const RelayAnnouncer&) = delete;
    RelayAnnouncer& operator=(const RelayAnnouncer&) = delete;

    // Closes the connection and stops; on the io_context's thread or before it runs.
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace tether::server
