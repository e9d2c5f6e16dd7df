#include "relay_hello_check.h"

#include "rendezvous/signatures.h"

namespace tether::server {

using State = MessageDecoder::State;

std::variant<proto::RelayHello, RelayRefusal> judge_hello(State read, std::span<const uint8_t> body,
                                                          const security::PublicKey& rendezvous_key, int64_t now_unix) {
    switch (read) {
    case State::Message: break;
    case State::Oversized: return RelayRefusal{"oversized hello"};
    case State::Closed:
    case State::Reading: return RelayRefusal{"truncated hello"};
    case State::Empty:
    case State::Ping:  // the hello comes first
    case State::Broken: return RelayRefusal{"malformed hello"};
    }
    auto message = rendezvous::decode(body);
    if (!message) return RelayRefusal{"malformed hello"};
    if (!message->has_relay_hello()) return RelayRefusal{"not a relay hello"};
    if (auto refused = rendezvous::check_relay_hello(rendezvous_key, message->relay_hello(), now_unix))
        return RelayRefusal{*refused, true};
    return std::move(*message->mutable_relay_hello());
}

}  // namespace tether::server
