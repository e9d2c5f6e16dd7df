#include "udp_registration.h"

#include "endpoint_text.h"
#include "refusal_reasons.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

namespace tether::server {
namespace {

std::span<const uint8_t> as_bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

DatagramOutcome dropped(std::string_view reason) {
    DatagramOutcome outcome;
    outcome.refused = reason;
    return outcome;
}

// The answer to a Register whose cookie checks out, or why there is none.
DatagramOutcome answer_proof(const proto::Register& request, const boost::asio::ip::udp::endpoint& source,
                             const PinnedKeyOf& pinned_key_of) {
    const auto key = rendezvous::key_from_bytes(request.key());
    if (!key) return dropped(refusal::kMalformed);
    const auto pinned = pinned_key_of(request.id());
    if (!pinned) return dropped(refusal::kNotPinned);
    if (*pinned != *key) return dropped(refusal::kKeyPinnedToAnother);
    if (!security::verify(*key, rendezvous::register_proof_message(request.id(), as_bytes(request.cookie())),
                          as_bytes(request.proof())))
        return dropped(refusal::kBadProof);
    proto::RendezvousMessage registered;
    registered.mutable_registered()->set_public_addr(endpoint_text(source.address(), source.port()));
    DatagramOutcome outcome;
    outcome.reply = rendezvous::encode(registered);
    outcome.verified_id = request.id();
    return outcome;
}

}  // namespace

DatagramOutcome answer_datagram(std::span<const uint8_t> datagram, const boost::asio::ip::udp::endpoint& source,
                                int64_t now_unix, const UdpCookies& cookies, const PinnedKeyOf& pinned_key_of) {
    if (datagram.size() > rendezvous::kMaxMessage) return dropped(refusal::kOversized);
    const auto message = rendezvous::decode(datagram);
    if (!message || !message->has_register_() || !security::is_peer_id(message->register_().id()))
        return dropped(refusal::kMalformed);
    const proto::Register& request = message->register_();

    DatagramOutcome outcome;
    if (cookies.check(source, request.id(), as_bytes(request.cookie()), now_unix)) {
        outcome = answer_proof(request, source, pinned_key_of);
    } else {
        const auto cookie = cookies.make(source, request.id(), now_unix);
        proto::RendezvousMessage challenge;
        challenge.mutable_challenge()->set_nonce(std::string(cookie.begin(), cookie.end()));
        outcome.reply = rendezvous::encode(challenge);
    }
    if (outcome.reply.size() > datagram.size()) {
        outcome.reply.clear();
        outcome.refused = refusal::kReplyTooLarge;
    }
    return outcome;
}

}  // namespace tether::server
