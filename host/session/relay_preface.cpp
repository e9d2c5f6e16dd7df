#include "relay_preface.h"

#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

namespace tether::session {

net::Preface relay_preface(const proto::RelayToken& token, bool host, const security::Identity& presenter) {
    proto::RendezvousMessage hello;
    *hello.mutable_relay_hello() = rendezvous::make_relay_hello(token, host, presenter);
    return {BufferRef::copy_of(rendezvous::encode(hello)), [](std::span<const uint8_t> bytes) {
                const auto answer = rendezvous::decode(bytes);
                if (!answer || !answer->has_relay_answer()) throw net::HandshakeError("the relay answered nonsense");
                if (!answer->relay_answer().paired())
                    throw net::HandshakeError("the relay refused: " + answer->relay_answer().refused());
            }};
}

}  // namespace tether::session
