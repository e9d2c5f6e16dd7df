// One connection to the rendezvous server, over its TCP port or a WebSocket
// (in the peer's framing): messages in one at a time (a header, then a body
// read only once the header's length is allowed), messages out through a
// small bounded queue, and what the server knows of the peer at the other
// end. An idle connection holds no buffer, only a few hundred bytes beside
// its socket: tens of thousands of hosts stay cheap.
#pragma once

#include "message_decoder.h"
#include "online_host.h"
#include "peer_framing.h"
#include "rendezvous.pb.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::server {

class RendezvousConnection : public std::enable_shared_from_this<RendezvousConnection> {
public:
    // Bound to the io_context's own executor: no type-erased executor in every socket.
    using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
    using Clock = std::chrono::steady_clock;

    class Events {
    public:
        virtual void on_frame(const std::shared_ptr<RendezvousConnection>& connection, std::span<const uint8_t> body) = 0;
        virtual void on_refused(std::string_view reason) = 0;  // a frame refused; the connection closes
        virtual void on_closed(RendezvousConnection& connection) = 0;

    protected:
        ~Events() = default;
    };

    // Who the peer turned out to be, by its first frame.
    struct Newcomer {};
    struct Registering {
        proto::Register request;
        std::string nonce;
    };
    struct Host {
        OnlineHost host;
    };
    struct Relay {
        std::string addr;
    };
    struct Answered {};  // a lookup, answered: closes once the reply is out
    using Peer = std::variant<Newcomer, Registering, Host, Relay, Answered>;

    RendezvousConnection(Socket socket, Framing framing, const boost::asio::ip::address& remote, Events& events);

    void start(Clock::time_point deadline);  // reads the first frame
    void send(const proto::RendezvousMessage& message);
    void send_then_close(const proto::RendezvousMessage& message);
    void close();
    bool is_open() const { return open_; }

    const boost::asio::ip::address& remote_address() const { return remote_; }
    boost::asio::ip::address local_address() const;  // the server's address the peer reached

    Peer peer;
    bool counted_newcomer = false;  // in the server's count of its source's unidentified connections
    Clock::time_point deadline;  // the server closes the connection when it passes

private:
    void read_next();
    void on_read(MessageDecoder::State read);
    void queue(std::vector<uint8_t> bytes);
    void write_next();

    Socket socket_;
    const Framing framing_;
    boost::asio::ip::address remote_;
    Events& events_;
    MessageDecoder incoming_;  // holds a body only while one is read
    std::vector<std::vector<uint8_t>> queue_;
    size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;  // close once the queue is out
    bool open_ = true;
};

}  // namespace tether::server
