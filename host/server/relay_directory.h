// The relays the rendezvous server hands out: those it was configured with and
// those that announce themselves (authenticated, every 5 s, forgotten 15 s
// after their last word). A lookup gets the least loaded one; configured
// relays that never announce count as idle. A relay may also be reached
// over WebSocket: one that announces its WebSocket port, and the one on
// this machine when this server's gateway serves /relay.
#pragma once

#include "rendezvous.pb.h"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tether::server {

constexpr size_t kMaxRelayAddress = 64;
constexpr size_t kMaxAnnouncedRelays = 256;
constexpr std::chrono::seconds kRelayAnnounceLifetime{15};

// "host:port" a peer can dial: a numeric address or a DNS name, at most kMaxRelayAddress long.
bool is_relay_address_text(std::string_view text);
// An announcement's addresses: its TCP one, and its WebSocket one when it has one.
bool is_relay_announce_text(const proto::RelayAnnounce& announce);

// The WebSocket path of a relay, and what a peer is told for the relay on
// this machine: that path at the WebSocket address it reached this server at.
constexpr std::string_view kRelayPath = "/relay";

struct AssignedRelay {
    std::string addr;       // "host:port", or ":PORT" for this machine; empty: none
    std::string websocket;  // "host:port/relay", or "/relay" (see kRelayPath); empty: none
};

class RelayDirectory {
public:
    using Clock = std::chrono::steady_clock;

    // Each entry "host:port", or ":PORT" for this machine; std::invalid_argument
    // naming a bad one. `websocket_here`: the relay on this machine serves /relay
    // on this server's WebSocket port.
    RelayDirectory(std::vector<std::string> configured, bool websocket_here);

    // False when the directory is full of other relays.
    bool announce(const proto::RelayAnnounce& announce, Clock::time_point now);
    void withdraw(const std::string& addr);
    void expire(Clock::time_point now);
    size_t known() const;

    // The least loaded relay with room, as configured or announced.
    AssignedRelay assign() const;

private:
    struct Load {
        uint32_t sessions = 0;
        uint32_t capacity = 0;
        Clock::time_point expires;
        std::string websocket;  // as announced
    };
    std::string websocket_of(const std::string& relay) const;

    std::vector<std::string> configured_;
    bool websocket_here_;
    std::map<std::string, Load> announced_;
};

// The address a peer dials for `relay`: ":PORT" becomes `local` (the address
// the peer reached the rendezvous server on) with that port.
std::string relay_address_for(const std::string& relay, const boost::asio::ip::address& local);

}  // namespace tether::server
