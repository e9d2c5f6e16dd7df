// A viewer's question to the rendezvous server: where is this ID? One
// connection (TCP or WebSocket), one Lookup, one LookupReply.
#pragma once

#include "rendezvous.pb.h"
#include "server_address.h"

#include <chrono>
#include <string>

namespace tether::rendezvous {

// Throws std::runtime_error naming the server when it cannot be asked or does not answer in time.
proto::LookupReply look_up(const ServerAddress& server, const proto::Lookup& lookup, std::chrono::milliseconds timeout);

}  // namespace tether::rendezvous
