// What the rendezvous server keeps in memory about a registered host while
// its control connection lasts; only the ID's pinned key outlives it (in the
// registry).
#pragma once

#include "security/identity.h"

#include <string>
#include <vector>

namespace tether::server {

struct OnlineHost {
    std::string id;
    security::PublicKey key{};
    std::string public_addr;             // source IP and listen port; empty when the host does not listen
    std::vector<std::string> lan_addrs;  // valid entries only
    std::string udp_addr;                // from a verified UDP registration; empty until one
    bool udp_varies = false;             // its NAT maps a new port per destination (the host's word)
};

}  // namespace tether::server
