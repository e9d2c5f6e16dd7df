// What the rendezvous server signs and what the relay and the viewer check
// (docs/rendezvous.md): vouchers for peer keys, relay tokens bound to one host
// and one viewer, the presenters' signatures over those tokens, hosts' proofs
// of their keys and relays' announcements. Each signed message starts with
// its own label, so no signature is valid as another kind.
#pragma once

#include "rendezvous.pb.h"
#include "security/identity.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tether::rendezvous {

std::optional<security::PublicKey> key_from_bytes(const std::string& bytes);  // nullopt unless 32 bytes
std::string key_bytes(const security::PublicKey& key);

proto::Voucher make_voucher(const security::Identity& server, const std::string& id, const security::PublicKey& key,
                            int64_t expiry_unix);
// nullopt when the voucher is the server's, unexpired at `now_unix`, for `id`; else why not.
std::optional<std::string> check_voucher(const security::PublicKey& server_key, const proto::Voucher& voucher,
                                         const std::string& id, int64_t now_unix);

proto::RelayToken make_relay_token(const security::Identity& server, const security::PublicKey& host_key,
                                   const security::PublicKey& viewer_key, int64_t expiry_unix);
// nullopt when the server signed it and it has not expired at `now_unix`; else why not.
std::optional<std::string> check_relay_token(const security::PublicKey& server_key, const proto::RelayToken& token,
                                             int64_t now_unix);

// A peer's RelayHello: the token signed by the key the token names for its side.
proto::RelayHello make_relay_hello(const proto::RelayToken& token, bool host, const security::Identity& presenter);
// nullopt when the token checks out and the presenter holds the key for its side; else why not.
std::optional<std::string> check_relay_hello(const security::PublicKey& server_key, const proto::RelayHello& hello,
                                             int64_t now_unix);

// What a host signs to prove it holds its key, for a server's nonce.
std::vector<uint8_t> register_proof_message(const std::string& id, std::span<const uint8_t> nonce);

// A relay's announcement, authenticated with the secret it shares with the rendezvous server.
std::string relay_announce_mac(std::span<const uint8_t> secret, const proto::RelayAnnounce& announce);
bool check_relay_announce(std::span<const uint8_t> secret, const proto::RelayAnnounce& announce);

int64_t unix_now();

}  // namespace tether::rendezvous
