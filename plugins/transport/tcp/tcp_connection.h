// One TCP connection: frames outgoing messages, splits incoming ones and
// reports its end exactly once. The socket, the reader and the callbacks
// belong to the network thread; send() and pending_bytes() may come from any
// thread and meet it at the outgoing queue.
#pragma once

#include "connection_life.h"
#include "frame_reader.h"
#include "wire_format.h"

#include <tether/plugin.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tether::tcp {

class TcpTransport;

class TcpConnection : public transport::ConnectionLife<TcpConnection, TcpTransport> {
public:
    TcpConnection(TcpTransport& transport, boost::asio::ip::tcp::socket socket);
    ~TcpConnection();

    // ---- the ABI's calls, from any thread (start() and close(): ConnectionLife) ----
    // Queues one message with a reference of its own; throws when closed or too large.
    void send(tether_buffer* message);
    // Bytes queued (length headers included) plus those the kernel holds unacknowledged.
    size_t pending_bytes();
    // Bytes read from the socket so far, those of a message still arriving included.
    uint64_t received_bytes() const { return received_bytes_; }

private:
    friend class transport::ConnectionLife<TcpConnection, TcpTransport>;

    struct Outgoing {
        tether_buffer* message;
        LengthHeader header;  // written just before the message, from here
    };
    // One gathered write takes at most this many messages, and stops adding
    // them past this many bytes, so pending_bytes falls as the peer reads.
    static constexpr size_t kMaxBatchMessages = 64;
    static constexpr size_t kMaxBatchBytes = 1 << 20;
    // How long a connection the host closed may take to deliver its queue.
    static constexpr std::chrono::seconds kLingerTime{2};

    void read_next();
    void on_read(const boost::system::error_code& ec, size_t count);
    void write_next();
    void on_written(const boost::system::error_code& ec);
    // The host's close: the end is reported now; the queue is sent, then a
    // FIN, and what the peer still sends is read and discarded until it
    // closes too. Closing with unread bytes would make the kernel answer
    // with a reset, which can destroy what we sent before the peer reads it.
    void finish(const std::string& reason);
    // The FIN, once the queue is out: the peer reads to the end of what we sent.
    void announce_end();
    void discard_next();
    // Drops what is still queued and closes the socket.
    void close_socket();
    // Unrefs and removes queue_[first, last); mutex_ held.
    void drop_queued(size_t first, size_t last);

    const tether_host_api& host_;

    // Network thread only.
    boost::asio::ip::tcp::socket socket_;
    const int socket_fd_;  // read by pending_bytes() from other threads, while open_
    std::atomic<uint64_t> received_bytes_{0};
    FrameReader reader_;
    std::array<boost::asio::const_buffer, 2 * kMaxBatchMessages> gather_;
    size_t writing_ = 0;  // messages at the front of queue_ that the current write sends
    bool sent_any_ = false;   // a write began: the peer may have bytes of ours still unread
    std::array<uint8_t, 4096> discarded_;

    // Shared with send().
    std::mutex mutex_;
    std::deque<Outgoing> queue_;    // elements keep their address while others are added
    bool write_scheduled_ = false;  // a write is posted or in progress
    bool open_ = true;       // send() accepts messages
    bool flushing_ = false;  // closed by the host, and the queue still goes out
    std::string closed_reason_;
    size_t queued_bytes_ = 0;   // bytes in queue_, length headers included
    size_t batch_written_ = 0;  // of them, what the current write has put in the kernel
};

}  // namespace tether::tcp
