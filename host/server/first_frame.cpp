#include "first_frame.h"

#include "endpoint_text.h"
#include "refusal_reasons.h"
#include "relay_directory.h"
#include "rendezvous/wire.h"
#include "security/identity.h"

#include <sodium.h>

namespace tether::server {
namespace {

constexpr size_t kKeySize = crypto_sign_PUBLICKEYBYTES;

bool is_port(uint32_t port) { return port <= 65535; }

void keep_valid_endpoints(google::protobuf::RepeatedPtrField<std::string>& addresses) {
    const std::vector<std::string> valid = valid_endpoints(addresses);
    addresses.Clear();
    for (const auto& address : valid) *addresses.Add() = address;
}

FirstFrame checked(proto::Register r) {
    if (!security::is_peer_id(r.id()) || r.key().size() != kKeySize || !is_port(r.listen_port()) ||
        (!r.key_change().empty() && r.key_change().size() != crypto_sign_BYTES))
        return Refused{refusal::kMalformed};
    keep_valid_endpoints(*r.mutable_lan_addrs());
    // The UDP fields mean nothing on a control connection.
    r.clear_proof();
    r.clear_cookie();
    r.clear_padding();
    return r;
}

// An ID that is no peer ID is answered like an unknown one, not refused: the
// answer must not say which IDs exist, nor which could.
FirstFrame checked(proto::Lookup l) {
    if (l.viewer_key().size() != kKeySize || !is_port(l.listen_port())) return Refused{refusal::kMalformed};
    keep_valid_endpoints(*l.mutable_viewer_addrs());
    return l;
}

FirstFrame checked(proto::RelayAnnounce a) {
    if (!is_relay_announce_text(a)) return Refused{refusal::kRelayAnnounceRefused};
    return a;
}

}  // namespace

std::vector<std::string> valid_endpoints(const google::protobuf::RepeatedPtrField<std::string>& addresses) {
    std::vector<std::string> valid;
    for (const auto& address : addresses) {
        if (valid.size() == static_cast<size_t>(rendezvous::kMaxAddresses)) break;
        // A scope ("%eth0") names an interface of the sender's, meaningless to anyone else.
        if (address.size() <= kMaxEndpointText && address.find('%') == std::string::npos &&
            rendezvous::is_endpoint_text(address))
            valid.push_back(address);
    }
    return valid;
}

FirstFrame classify_first_frame(std::span<const uint8_t> body) {
    if (body.size() > rendezvous::kMaxMessage) return Refused{refusal::kOversized};
    auto message = rendezvous::decode(body);
    if (!message) return Refused{refusal::kMalformed};
    switch (message->body_case()) {
        case proto::RendezvousMessage::kRegister: return checked(std::move(*message->mutable_register_()));
        case proto::RendezvousMessage::kLookup: return checked(std::move(*message->mutable_lookup()));
        case proto::RendezvousMessage::kRelayAnnounce: return checked(std::move(*message->mutable_relay_announce()));
        default: return Refused{refusal::kMalformed};
    }
}

}  // namespace tether::server
