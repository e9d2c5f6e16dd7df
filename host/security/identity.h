// This installation's long-term Ed25519 identity (DESIGN.md §6) and the names derived from it.
// The identity key only signs; session secrecy comes from fresh ephemeral keys per session.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tether::security {

using PublicKey = std::array<uint8_t, crypto_sign_PUBLICKEYBYTES>;

struct Identity {
    PublicKey public_key{};
    std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret_key{};  // wiped when the Identity is destroyed
    std::string peer_id;                                           // 9 decimal digits, no leading zero

    ~Identity();
};

// Loads <data_dir>/identity, or creates it (0600) on the first run. A file open to other
// users or a corrupt one is refused, never replaced: a new key would be a new peer.
Identity load_or_create_identity(const std::filesystem::path& data_dir);
// A key pair of its own, kept nowhere: a viewer's key for one connect.
Identity fresh_identity();

// The peer ID is derived from a BLAKE2b hash of the key, so whoever presents an ID must
// hold a key that hashes to it. With 9 digits that only stops casual claims: a determined
// attacker can search for a key with a chosen ID, which is why viewers pin the key itself.
std::string peer_id_of(const PublicKey& key);
bool is_peer_id(std::string_view text);  // 9 decimal digits, the first not 0

// BLAKE2b-256 of the key, its first 16 bytes as 8 groups of 4 hex digits: "3f2a-9c01-...".
std::string fingerprint(const PublicKey& key);
// Digits in groups of three for reading aloud: "123456789" -> "123 456 789".
std::string format_peer_id(const std::string& peer_id);

// Detached Ed25519 signature (crypto_sign_BYTES long).
std::vector<uint8_t> sign(const Identity& identity, std::span<const uint8_t> message);
bool verify(const PublicKey& key, std::span<const uint8_t> message, std::span<const uint8_t> signature);

}  // namespace tether::security
