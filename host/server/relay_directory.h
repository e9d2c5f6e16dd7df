// The relays the rendezvous server hands out: those it was configured with and
// those that announce themselves (authenticated, every 5 s, forgotten 15 s
// after their last word). A lookup gets the least loaded one; configured
// relays that never announce count as idle.
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

class RelayDirectory {
public:
    using Clock = std::chrono::steady_clock;

    // Each entry "host:port", or ":PORT" for this machine; std::invalid_argument naming a bad one.
    explicit RelayDirectory(std::vector<std::string> configured);

    // False when the directory is full of other relays.
    bool announce(const proto::RelayAnnounce& announce, Clock::time_point now);
    void withdraw(const std::string& addr);
    void expire(Clock::time_point now);
    size_t known() const;

    // The least loaded relay with room, as configured or announced; empty when there is none.
    std::string assign() const;

private:
    struct Load {
        uint32_t sessions = 0;
        uint32_t capacity = 0;
        Clock::time_point expires;
    };

    std::vector<std::string> configured_;
    std::map<std::string, Load> announced_;
};

// The address a peer dials for `relay`: ":PORT" becomes `local` (the address
// the peer reached the rendezvous server on) with that port.
std::string relay_address_for(const std::string& relay, const boost::asio::ip::address& local);

}  // namespace tether::server
