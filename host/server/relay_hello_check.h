// The first message of a relay connection: a RendezvousMessage holding a
// RelayHello whose token and signature check out (docs/rendezvous.md, Relay).
// The relay and the fuzz target both judge the bytes here, so what the
// fuzzer proves holds for the server.
#pragma once

#include "message_decoder.h"
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

// How reading the first message ended (`body` its bytes when a Message):
// the hello when it is one and its token is good at `now_unix`; else why not.
std::variant<proto::RelayHello, RelayRefusal> judge_hello(MessageDecoder::State read, std::span<const uint8_t> body,
                                                          const security::PublicKey& rendezvous_key, int64_t now_unix);

}  // namespace tether::server
