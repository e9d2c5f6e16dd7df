// How a connection of a socket transport lives and ends, whatever its wire:
// the host's start() and close() from any thread, its end reported exactly
// once, and a close that first lets what was queued go out (a goodbye, a
// refusal's reason), lingering at most a bounded time. The wire is
// Derived's, which offers, on the network thread: read_next(), finish(reason)
// (the host's close: end() at once, or flush_and_linger()), announce_end()
// (says the end in the wire's way, once what was queued is out) and
// close_socket() (which calls stop_lingering()); and, guarded by its mutex_,
// the outgoing queue_, open_ (send() takes messages), closed_reason_ (why it
// no longer does) and flushing_ (the queue still goes out after a close).
#pragma once

#include "host_callbacks.h"

#include <tether/plugin.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>

namespace tether::transport {

template <typename Derived, typename Transport>
class ConnectionLife : public std::enable_shared_from_this<Derived> {
public:
    ConnectionLife(const ConnectionLife&) = delete;
    ConnectionLife& operator=(const ConnectionLife&) = delete;

    // ---- the ABI's calls, from any thread ----
    void start(const tether_connection_callbacks& callbacks) {
        boost::asio::dispatch(transport_.network().context(),
                              [self = this->shared_from_this(), copy = HostCallbacks::copy_of(callbacks)] {
                                  self->begin(copy);
                              });
    }
    // Ends the connection if it has not ended, and gives up the handle. Waits
    // for the network thread, so that no callback runs once it returns.
    void close() {
        transport_.network().run_and_wait([this] {
            const auto keep = this->shared_from_this();  // forget() may drop the last other reference
            derived().finish("closed locally");
            if (!lingering_) transport_.forget(&derived());  // a lingering one goes when its socket closes
        });
    }

    // ---- network thread ----
    // Closes the socket, drops what is queued and reports `reason` (once: later calls do nothing).
    void end(const std::string& reason) {
        if (ended()) return;
        end_reason_ = reason;
        stop_sending(reason);
        derived().close_socket();
        report_closed();
    }
    // As end(), but a connection the host closed may still take `grace` to deliver its queue.
    void end_within(std::chrono::milliseconds grace) {
        if (!lingering_) return end("closed locally");
        linger_for(grace);
    }

protected:
    explicit ConnectionLife(Transport& transport)
        : transport_(transport), linger_timer_(transport.network().context()) {}
    ~ConnectionLife() = default;

    void begin(const tether_connection_callbacks& callbacks) {
        if (started_) return;
        started_ = true;
        callbacks_.set(callbacks);
        if (ended()) return report_closed();  // it ended before the host was listening
        try {
            derived().read_next();
        } catch (const std::bad_alloc&) {
            end("out of memory");
        }
    }
    // The host's close, with bytes of ours that may still be on their way:
    // the end is reported now, and the socket closes within `time` at most.
    void begin_lingering(const std::string& reason, std::chrono::milliseconds time) {
        end_reason_ = reason;
        report_closed();
        lingering_ = true;
        linger_for(time);
    }
    // begin_lingering(), for a peer that is still to read what we sent:
    // send() refuses from now on, what is queued still goes out, and
    // announce_end() follows it (at once when nothing is queued; otherwise
    // Derived's write that empties the queue calls it).
    void flush_and_linger(const std::string& reason, std::chrono::milliseconds time) {
        bool queued = false;
        {
            std::lock_guard lock(derived().mutex_);
            refuse_sends(reason);
            queued = !derived().queue_.empty();
            derived().flushing_ = queued;
        }
        begin_lingering(reason, time);
        if (!queued) derived().announce_end();
    }
    // In close_socket(): true when the connection was lingering (and its handle must go now).
    bool stop_lingering() {
        linger_timer_.cancel();
        return std::exchange(lingering_, false);
    }
    void report_closed() {
        if (started_) callbacks_.closed(*end_reason_);
    }
    bool ended() const { return end_reason_.has_value(); }

    Transport& transport_;
    HostCallbacks callbacks_;
    bool started_ = false;
    bool lingering_ = false;  // finish() chose to linger and the socket is still open

private:
    Derived& derived() { return static_cast<Derived&>(*this); }
    // refuse_sends(), taking Derived's mutex_.
    void stop_sending(const std::string& reason) {
        std::lock_guard lock(derived().mutex_);
        refuse_sends(reason);
    }
    // send() refuses from now on, naming `reason`; Derived's mutex_ held.
    void refuse_sends(const std::string& reason) {
        derived().open_ = false;
        derived().closed_reason_ = reason;
    }
    void linger_for(std::chrono::milliseconds time) {
        linger_timer_.expires_after(time);  // a wait already set ends with operation_aborted
        linger_timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code& ec) {
            if (!ec && self->lingering_) self->close_socket();  // the peer took too long
        });
    }

    std::optional<std::string> end_reason_;
    boost::asio::steady_timer linger_timer_;
};

}  // namespace tether::transport
