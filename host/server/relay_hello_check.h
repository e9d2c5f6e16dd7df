// The first frame of a relay connection: a RendezvousMessage holding a
// RelayHello whose token and signature check out (docs/rendezvous.md, Relay).
// The relay and the fuzz target both judge the bytes here, so what the
// fuzzer proves holds for the server.
#pragma once

#include "rendezvous/wire.h"
#include "security/identity.h"

#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace tether::server {

struct RelayRefusal {
    std::string reason;     // for the refusals metric, and the peer's RelayAnswer when answered
    bool answered = false;  // a peer that spoke the protocol hears why; one that sent garbage does not
};

// What a frame header announces: the body's size, or a refusal for an empty or oversized frame.
std::variant<size_t, RelayRefusal> hello_body_size(std::span<const uint8_t, rendezvous::kFrameHeader> header);

// A whole first frame (header and body): the hello when it is one and its
// token is good at `now_unix`; else why not.
std::variant<proto::RelayHello, RelayRefusal> check_hello_frame(std::span<const uint8_t> frame,
                                                                 const security::PublicKey& rendezvous_key,
                                                                 int64_t now_unix);

}  // namespace tether::server
