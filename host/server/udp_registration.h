// One UDP datagram to the rendezvous server and its answer, without sockets:
// a Register without a valid cookie gets a RegisterChallenge carrying one; a
// Register with a valid cookie, signed by the key pinned to its ID, gets
// Registered with the source address; a Binding gets the source address (and
// where the NAT test port is). Nothing is pinned over UDP, and no answer is
// larger than the datagram that asked: a larger one is not sent.
#pragma once

#include "security/identity.h"
#include "udp_cookie.h"

#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tether::server {

// The key an ID is pinned to, or nullopt.
using PinnedKeyOf = std::function<std::optional<security::PublicKey>(const std::string& id)>;

struct DatagramOutcome {
    std::vector<uint8_t> reply;       // empty: send nothing
    std::string_view refused;         // one of refusal::, empty when none
    std::string verified_id;          // a host that proved its key from this source; empty when none
    bool udp_varies = false;          // what that host says of its NAT
};

// On the rendezvous port.
DatagramOutcome answer_datagram(std::span<const uint8_t> datagram, const boost::asio::ip::udp::endpoint& source,
                                int64_t now_unix, const UdpCookies& cookies, const PinnedKeyOf& pinned_key_of,
                                uint16_t nat_test_port);
// On the NAT test port: a Binding only.
DatagramOutcome answer_nat_test(std::span<const uint8_t> datagram, const boost::asio::ip::udp::endpoint& source);

}  // namespace tether::server
