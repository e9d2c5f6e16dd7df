#include "udp_registration.h"

#include "endpoint_text.h"
#include "refusal_reasons.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

namespace tether::server {
namespace {

using rendezvous::field_bytes;

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
    if (!security::verify(*key, rendezvous::register_proof_message(request.id(), field_bytes(request.cookie())),
                          field_bytes(request.proof())))
        return dropped(refusal::kBadProof);
    proto::RendezvousMessage registered;
    registered.mutable_registered()->set_public_addr(endpoint_text(source.address(), source.port()));
    DatagramOutcome outcome;
    outcome.reply = rendezvous::encode(registered);
    outcome.verified_id = request.id();
    outcome.udp_varies = request.udp_varies();
    return outcome;
}

DatagramOutcome answer_binding(const boost::asio::ip::udp::endpoint& source, uint16_t nat_test_port) {
    proto::RendezvousMessage reply;
    reply.mutable_binding_reply()->set_observed(endpoint_text(source.address(), source.port()));
    reply.mutable_binding_reply()->set_nat_test_port(nat_test_port);
    DatagramOutcome outcome;
    outcome.reply = rendezvous::encode(reply);
    return outcome;
}

// No reply larger than the datagram that asked: a source cannot be made a target.
DatagramOutcome no_larger_than(DatagramOutcome outcome, size_t asked) {
    if (outcome.reply.size() > asked) {
        outcome.reply.clear();
        outcome.refused = refusal::kReplyTooLarge;
    }
    return outcome;
}

}  // namespace

DatagramOutcome answer_datagram(std::span<const uint8_t> datagram, const boost::asio::ip::udp::endpoint& source,
                                int64_t now_unix, const UdpCookies& cookies, const PinnedKeyOf& pinned_key_of,
                                uint16_t nat_test_port) {
    if (datagram.size() > rendezvous::kMaxMessage) return dropped(refusal::kOversized);
    const auto message = rendezvous::decode(datagram);
    if (message && message->has_binding()) return no_larger_than(answer_binding(source, nat_test_port), datagram.size());
    if (!message || !message->has_register_() || !security::is_peer_id(message->register_().id()))
        return dropped(refusal::kMalformed);
    const proto::Register& request = message->register_();

    DatagramOutcome outcome;
    if (cookies.check(source, request.id(), field_bytes(request.cookie()), now_unix)) {
        outcome = answer_proof(request, source, pinned_key_of);
    } else {
        const auto cookie = cookies.make(source, request.id(), now_unix);
        proto::RendezvousMessage challenge;
        challenge.mutable_challenge()->set_nonce(std::string(cookie.begin(), cookie.end()));
        outcome.reply = rendezvous::encode(challenge);
    }
    return no_larger_than(std::move(outcome), datagram.size());
}

DatagramOutcome answer_nat_test(std::span<const uint8_t> datagram, const boost::asio::ip::udp::endpoint& source) {
    if (datagram.size() > rendezvous::kMaxMessage) return dropped(refusal::kOversized);
    const auto message = rendezvous::decode(datagram);
    if (!message || !message->has_binding()) return dropped(refusal::kMalformed);
    return no_larger_than(answer_binding(source, 0), datagram.size());
}

}  // namespace tether::server
