// One WebSocket connection, after its upgrade: each message one binary
// message, delivered whole and in order, its size checked against the
// host's limit before it is buffered (Beast's read_message_max, set for each
// message), and its end reported exactly once. The stream, the read buffer
// and the callbacks belong to the network thread; send() and pending_bytes()
// may come from any thread and meet it at the outgoing queue.
#pragma once

#include "connection_life.h"
#include "ws_stream.h"

#include <tether/plugin.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tether::ws {

class WsTransport;

class WsConnection : public transport::ConnectionLife<WsConnection, WsTransport> {
public:
    // `masked`: this end is the client, whose frames carry a mask.
    WsConnection(WsTransport& transport, WsStream stream, bool masked);
    ~WsConnection();

    // ---- the ABI's calls, from any thread (start() and close(): ConnectionLife) ----
    // Queues one message with a reference of its own; throws when closed or too large.
    void send(tether_buffer* message);
    // Frames queued (headers included), less what of the one being written
    // reached the kernel, plus what the kernel holds unacknowledged.
    size_t pending_bytes();
    // Bytes that came from the peer so far, frame headers and a message still arriving included (ABI 1.7).
    uint64_t received_bytes() const { return *read_; }

private:
    friend class transport::ConnectionLife<WsConnection, WsTransport>;

    // How long a connection the host closed may take to deliver its queue and close.
    static constexpr std::chrono::seconds kLingerTime{2};
    // What a connection closing keeps reading (and drops) per message.
    static constexpr size_t kDiscardLimit = 64 * 1024;
    // A read buffer that grew past this for one large message is given back.
    static constexpr size_t kKeptCapacity = 64 * 1024;

    void read_next();
    void on_read(const boost::system::error_code& ec);
    void write_next();
    void on_written(const boost::system::error_code& ec);
    // The host's close: the end is reported now; the queue is sent, then a
    // WebSocket close, and what the peer still sends is read and dropped
    // until its close comes, so that the peer reads everything sent before.
    void finish(const std::string& reason);
    // The WebSocket close (once), after the queue: the peer's close in
    // answer ends the handshake and closes the socket.
    void announce_end();
    void close_socket();
    size_t limit() const;
    // Unrefs and removes queue_[first, last); mutex_ held.
    void drop_queued(size_t first, size_t last);

    const tether_host_api& host_;
    const bool masked_;

    // Network thread only.
    WsStream stream_;
    const int socket_fd_;  // read by pending_bytes() from other threads, while open_
    boost::beast::flat_buffer incoming_;
    bool close_sent_ = false;  // the WebSocket close is under way

    // Shared with send() and pending_bytes().
    std::mutex mutex_;
    std::deque<tether_buffer*> queue_;
    bool writing_ = false;          // queue_.front() is being written
    bool write_scheduled_ = false;  // a write is posted or in progress
    bool open_ = true;              // send() accepts messages
    bool flushing_ = false;         // closed by the host, and the queue still goes out
    std::string closed_reason_;
    uint64_t queued_bytes_ = 0;     // frames in queue_, headers included
    uint64_t written_at_start_ = 0;  // the counter when the current write began
    const std::shared_ptr<std::atomic<uint64_t>> written_;  // bytes the stream put in the kernel
    const std::shared_ptr<std::atomic<uint64_t>> read_;     // and took from it
};

}  // namespace tether::ws
