// A listener's answer to spoofed connects: once many connects are half open,
// a connect from an address not seen to answer gets a cookie (a punch packet
// of kind `cookie`, 24 bytes: no amplification) instead of a slot; the
// connecting side echoes it, and the listener takes that address's connects
// for a while. The cookie is a keyed hash of the address and the time, so
// the listener keeps nothing for a connect it has not verified, and a
// stranger who cannot receive at an address cannot verify it.
#pragma once

#include "address.h"
#include "network_thread.h"
#include "punch_packet.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>

namespace tether::udp {

class ConnectCookies {
public:
    ConnectCookies();  // a fresh random key

    Token cookie_for(const Address& source, Clock::time_point now) const;
    // An echoed cookie that holds (made for `source` in this period or the
    // last): remembers the source as one that answers. False otherwise.
    bool take_echo(const Address& source, const Token& cookie, Clock::time_point now);
    bool answers(const Address& source, Clock::time_point now) const;

private:
    Token cookie_for(const Address& source, uint64_t period) const;

    struct Verified {
        Address source;
        Clock::time_point until;
    };
    std::array<uint8_t, 32> key_{};
    std::deque<Verified> verified_;  // oldest first, at most kMostVerified
};

}  // namespace tether::udp
