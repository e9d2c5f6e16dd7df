#include "identity.h"

#include "key_text.h"
#include "private_file.h"
#include "sodium_setup.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

// One line: "tether-identity-1 <seed hex> <public key hex>\n". The public key is stored
// beside the seed it derives from so that a damaged seed is noticed instead of silently
// becoming another identity.
constexpr std::string_view kFormatTag = "tether-identity-1";
constexpr size_t kMaxFileSize = 4096;

using Seed = std::array<uint8_t, crypto_sign_SEEDBYTES>;

// Wipes the seed whichever way the scope ends.
struct SeedHolder {
    Seed bytes{};
    ~SeedHolder() { sodium_memzero(bytes.data(), bytes.size()); }
};

Identity from_seed(const Seed& seed) {
    Identity identity;
    crypto_sign_seed_keypair(identity.public_key.data(), identity.secret_key.data(), seed.data());
    identity.peer_id = peer_id_of(identity.public_key);
    return identity;
}

[[noreturn]] void refuse_corrupt(const fs::path& file, const std::string& reason) {
    throw std::runtime_error(file.string() + ": damaged identity file (" + reason +
                             "); it is left as it is because a new key would give this installation a new peer ID: "
                             "restore it from a backup, or move it away to start over with a new identity");
}

Identity parse_identity(const fs::path& file, std::string_view text) {
    if (text.ends_with('\n')) text.remove_suffix(1);
    const auto fields = split_fields(text);
    if (fields.size() != 3 || fields[0] != kFormatTag)
        refuse_corrupt(file, "expected '" + std::string(kFormatTag) + " <seed> <public key>'");
    SeedHolder seed;
    if (!parse_hex(fields[1], seed.bytes))
        refuse_corrupt(file, "the seed is not " + std::to_string(seed.bytes.size() * 2) + " hex digits");
    PublicKey stored{};
    if (!parse_hex(fields[2], stored))
        refuse_corrupt(file, "the public key is not " + std::to_string(stored.size() * 2) + " hex digits");
    Identity identity = from_seed(seed.bytes);
    if (identity.public_key != stored) refuse_corrupt(file, "the public key does not match the seed");
    return identity;
}

std::string identity_text(const Identity& identity) {
    SeedHolder seed;
    crypto_sign_ed25519_sk_to_seed(seed.bytes.data(), identity.secret_key.data());
    std::string seed_hex = to_hex(seed.bytes);
    WipeOnExit wipe(seed_hex);
    const std::string public_hex = to_hex(identity.public_key);
    // Reserved so that appending never reallocates and leaves a copy of the seed in freed memory.
    std::string text;
    text.reserve(kFormatTag.size() + seed_hex.size() + public_hex.size() + 3);
    text.append(kFormatTag).append(" ").append(seed_hex).append(" ").append(public_hex).append("\n");
    return text;
}

Identity load_identity(const fs::path& file, std::string& text) {
    WipeOnExit wipe(text);
    return parse_identity(file, text);
}

}  // namespace

Identity::~Identity() {
    sodium_memzero(secret_key.data(), secret_key.size());
}

Identity fresh_identity() {
    ensure_sodium();
    SeedHolder seed;
    randombytes_buf(seed.bytes.data(), seed.bytes.size());
    return from_seed(seed.bytes);
}

Identity load_or_create_identity(const fs::path& data_dir) {
    ensure_sodium();
    const fs::path file = data_dir / "identity";
    if (auto text = read_private_file(file, kMaxFileSize)) return load_identity(file, *text);

    Identity created = fresh_identity();
    std::string text = identity_text(created);
    WipeOnExit wipe(text);
    if (!create_private_file(file, text)) {
        // Another tether process created it first; its identity is the one that counts.
        auto theirs = read_private_file(file, kMaxFileSize);
        if (!theirs) throw std::runtime_error(file.string() + ": created by another process, then removed");
        return load_identity(file, *theirs);
    }
    spdlog::info("created a new identity in {}: peer ID {}", file.string(), format_peer_id(created.peer_id));
    return created;
}

std::string peer_id_of(const PublicKey& key) {
    constexpr uint64_t kFirst = 100'000'000;  // no leading zero
    constexpr uint64_t kCount = 900'000'000;  // 100000000 ..= 999999999
    std::array<uint8_t, crypto_generichash_BYTES_MIN> hash{};
    crypto_generichash(hash.data(), hash.size(), key.data(), key.size(), nullptr, 0);
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i)
        value |= static_cast<uint64_t>(hash[i]) << (8 * i);
    // 2^64 is so much larger than kCount that the modulo bias is below 1e-10.
    return std::to_string(kFirst + value % kCount);
}

bool is_peer_id(std::string_view text) {
    if (text.size() != 9 || text.front() == '0') return false;
    for (const char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string fingerprint(const PublicKey& key) {
    std::array<uint8_t, 32> hash{};
    crypto_generichash(hash.data(), hash.size(), key.data(), key.size(), nullptr, 0);
    const std::string hex = to_hex(std::span(hash).first(16));
    std::string grouped;
    for (size_t i = 0; i < hex.size(); i += 4) {
        if (i > 0) grouped += '-';
        grouped += hex.substr(i, 4);
    }
    return grouped;
}

std::string format_peer_id(const std::string& peer_id) {
    std::string grouped;
    for (size_t i = 0; i < peer_id.size(); i += 3) {
        if (i > 0) grouped += ' ';
        grouped += peer_id.substr(i, 3);
    }
    return grouped;
}

std::vector<uint8_t> sign(const Identity& identity, std::span<const uint8_t> message) {
    ensure_sodium();
    std::vector<uint8_t> signature(crypto_sign_BYTES);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), identity.secret_key.data());
    return signature;
}

bool verify(const PublicKey& key, std::span<const uint8_t> message, std::span<const uint8_t> signature) {
    ensure_sodium();
    return signature.size() == crypto_sign_BYTES &&
           crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

}  // namespace tether::security
