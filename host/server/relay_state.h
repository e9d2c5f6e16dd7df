// What the relay's parts share on its io_context: the options, the
// connections waiting for their peer and the sessions, and the budgets.
// Internal to relay_server.cpp, relay_newcomer.cpp and relay_session.cpp.
#pragma once

#include "copy_channel.h"
#include "peer_framing.h"
#include "relay_server.h"
#include "spent_tokens.h"
#include "token_bucket.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace tether::server {

class RelayNewcomer;
class RelaySession;

// One end of a relayed session: its socket and how its messages are framed.
struct RelayPeer {
    boost::asio::ip::tcp::socket socket;
    Framing framing;
};

struct RelayState {
    RelayState(boost::asio::io_context& io, RelayOptions options, ServerMetrics& metrics);

    boost::asio::io_context& io;
    const RelayOptions options;
    ServerMetrics& metrics;
    boost::asio::ip::tcp::acceptor acceptor;
    boost::asio::steady_timer accept_retry;
    CopyPool copy_pool;
    const Rate session_rate;  // each direction of each session
    const Rate total_rate;
    TokenBucket total_budget;
    SpentTokens spent;
    std::unordered_map<std::string, std::shared_ptr<RelayNewcomer>> waiting;  // by token session nonce
    std::map<boost::asio::ip::address, size_t> unpaired_by_source;
    std::unordered_set<RelayNewcomer*> newcomers;  // every unpaired connection, waiting or not
    std::unordered_set<RelaySession*> sessions;
    std::atomic<size_t> unpaired_count{0};
    std::atomic<size_t> session_count{0};
    bool stopped = false;
};

}  // namespace tether::server
