// A viewer's lookup answered: Found for an online host (its addresses, a
// fresh voucher, a relay and a relay token bound to both keys) with the
// Incoming the host hears about it, or NotFound after the same signing work,
// both padded to kLookupReplySize so neither size nor effort tells an unknown
// ID from an offline one. When both the host and the viewer have a UDP port,
// each hears of the other's with a fresh punch token (docs/connectivity.md).
#pragma once

#include "online_host.h"
#include "rendezvous.pb.h"
#include "security/identity.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tether::server {

struct LookupContext {
    const security::Identity& server;
    int64_t now_unix = 0;
    std::chrono::seconds voucher_lifetime{3600};
    std::chrono::seconds token_lifetime{30};
};

struct LookupParties {
    const OnlineHost* host = nullptr;  // null: not online
    std::string viewer_public_addr;    // the viewer's source IP and listen port; empty when it does not listen
    std::string relay_for_viewer;      // the assigned relay as each side dials it; empty: none
    std::string relay_for_host;
    std::string viewer_source;         // the viewer's address as the server sees it: plain_address's text
    std::string relay_websocket = {};  // the same relay over WebSocket, for both sides; empty: none
};

struct LookupAnswer {
    proto::RendezvousMessage reply;     // a LookupReply of kLookupReplySize encoded bytes
    proto::RendezvousMessage incoming;  // for the host's control connection; unset when not found
};

// `lookup` as first_frame checked it.
LookupAnswer answer_lookup(const LookupContext& context, const proto::Lookup& lookup, const LookupParties& parties);

}  // namespace tether::server
