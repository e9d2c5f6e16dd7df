// A relay connection before it is paired: it must send its hello, then find
// its peer, within pair_timeout. It holds a socket, a timer and, only while
// its hello is being read, that message (at most 1 KiB): no copy buffer yet.
// A WebSocket peer is one whose upgrade the gateway already answered.
#pragma once

#include "message_decoder.h"
#include "relay_hello_check.h"
#include "relay_state.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

namespace tether::server {

class RelayNewcomer : public std::enable_shared_from_this<RelayNewcomer> {
public:
    // Counts itself unpaired (in all and for its source) until it leaves.
    RelayNewcomer(std::shared_ptr<RelayState> state, RelayPeer peer, boost::asio::ip::address source);
    ~RelayNewcomer();
    RelayNewcomer(const RelayNewcomer&) = delete;
    RelayNewcomer& operator=(const RelayNewcomer&) = delete;

    void start();  // reads the hello; the pairing deadline runs from now
    // The hello was good and no peer is here yet: the state's waiting room
    // holds this under `session_nonce`; a peer that leaves is noticed.
    void wait_for_peer(const std::string& session_nonce, bool host);
    bool is_host() const { return host_; }
    // False once the peer has closed or reset the connection.
    bool still_connected();
    // Paired: leaves the unpaired counts and hands its socket to the session.
    RelayPeer take_peer();
    // Counts the refusal, answers it when refusal.answered, and closes.
    void refuse(const RelayRefusal& refusal);
    void close();

private:
    void on_hello(MessageDecoder::State read);
    void on_deadline();
    void watch_for_leaving();
    void leave();  // out of the counts and the waiting room, once

    std::shared_ptr<RelayState> state_;
    RelayPeer peer_;
    boost::asio::steady_timer deadline_;
    const boost::asio::ip::address source_;
    MessageDecoder hello_;
    std::string waiting_nonce_;   // set while waiting for the peer
    bool host_ = false;
    bool left_ = false;
};

}  // namespace tether::server
