#include "record.h"

#include "security/sodium_setup.h"

#include <sodium.h>

#include <cstring>

namespace tether::net {
namespace {

void put_low_bits(uint8_t* header, size_t header_size, uint64_t counter) {
    for (size_t i = header_size; i-- > 0; counter >>= 8) header[i] = static_cast<uint8_t>(counter);
}

// XChaCha20 takes a 24-byte nonce, AES-GCM 12: the whole counter, big-endian, fills the last 8.
std::array<uint8_t, 24> nonce_of(uint64_t counter) {
    std::array<uint8_t, 24> nonce{};
    for (int i = 23; i >= 16; --i, counter >>= 8) nonce[static_cast<size_t>(i)] = static_cast<uint8_t>(counter);
    return nonce;
}
const uint8_t* aes_nonce(const std::array<uint8_t, 24>& nonce) { return nonce.data() + 12; }

std::vector<uint8_t> aes_state_for(Cipher cipher, const Key& key) {
    if (cipher != Cipher::Aes256Gcm) return {};
    if (crypto_aead_aes256gcm_is_available() == 0) throw RecordError("AES-256-GCM needs AES-NI, which this CPU lacks");
    std::vector<uint8_t> state(sizeof(crypto_aead_aes256gcm_state));
    crypto_aead_aes256gcm_beforenm(reinterpret_cast<crypto_aead_aes256gcm_state*>(state.data()), key.data());
    return state;
}

const crypto_aead_aes256gcm_state* aes(const std::vector<uint8_t>& state) {
    return reinterpret_cast<const crypto_aead_aes256gcm_state*>(state.data());
}

}  // namespace

std::string cipher_name(Cipher cipher) {
    switch (cipher) {
    case Cipher::XChaCha20Poly1305: return "xchacha20-poly1305";
    case Cipher::Aes256Gcm: return "aes-256-gcm";
    case Cipher::DebugPlaintext: return "debug-plaintext";
    }
    return "unknown";
}

std::vector<Cipher> supported_ciphers() {
    security::ensure_sodium();
    if (crypto_aead_aes256gcm_is_available() != 0) return {Cipher::Aes256Gcm, Cipher::XChaCha20Poly1305};
    return {Cipher::XChaCha20Poly1305};
}

DirectionKey::DirectionKey(Cipher c, const Key& k) : cipher(c), key(k), aes_state(aes_state_for(c, k)) {}

DirectionKey::~DirectionKey() {
    sodium_memzero(key.data(), key.size());
    sodium_memzero(aes_state.data(), aes_state.size());
}

BufferRef seal_record(const DirectionKey& key, uint64_t counter, size_t header_size, std::span<const uint8_t> plaintext) {
    BufferRef record = BufferRef::allocate(header_size + plaintext.size() + kRecordTag);
    uint8_t* header = record.data();
    uint8_t* body = header + header_size;
    put_low_bits(header, header_size, counter);
    const auto nonce = nonce_of(counter);
    unsigned long long written = 0;
    switch (key.cipher) {
    case Cipher::XChaCha20Poly1305:
        crypto_aead_xchacha20poly1305_ietf_encrypt(body, &written, plaintext.data(), plaintext.size(), header,
                                                   header_size, nullptr, nonce.data(), key.key.data());
        break;
    case Cipher::Aes256Gcm:
        crypto_aead_aes256gcm_encrypt_afternm(body, &written, plaintext.data(), plaintext.size(), header, header_size,
                                              nullptr, aes_nonce(nonce), aes(key.aes_state));
        break;
    case Cipher::DebugPlaintext:
        if (!plaintext.empty()) std::memcpy(body, plaintext.data(), plaintext.size());
        std::memset(body + plaintext.size(), 0, kRecordTag);
        break;
    }
    return record;
}

std::optional<std::vector<uint8_t>> open_record(const DirectionKey& key, uint64_t counter, size_t header_size,
                                                std::span<const uint8_t> record) {
    if (record.size() < header_size + kRecordTag) return std::nullopt;
    const uint8_t* header = record.data();
    const auto body = record.subspan(header_size);
    const auto nonce = nonce_of(counter);
    std::vector<uint8_t> plaintext(body.size() - kRecordTag);
    unsigned long long written = 0;
    int status = 0;
    switch (key.cipher) {
    case Cipher::XChaCha20Poly1305:
        status = crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext.data(), &written, nullptr, body.data(), body.size(),
                                                            header, header_size, nonce.data(), key.key.data());
        break;
    case Cipher::Aes256Gcm:
        status = crypto_aead_aes256gcm_decrypt_afternm(plaintext.data(), &written, nullptr, body.data(), body.size(),
                                                       header, header_size, aes_nonce(nonce), aes(key.aes_state));
        break;
    case Cipher::DebugPlaintext:
        if (!plaintext.empty()) std::memcpy(plaintext.data(), body.data(), plaintext.size());
        break;
    }
    if (status != 0) return std::nullopt;
    return plaintext;
}

uint64_t record_counter(std::span<const uint8_t> header, uint64_t reference) {
    uint64_t low = 0;
    for (const uint8_t byte : header) low = low << 8 | byte;
    const uint64_t span = uint64_t{1} << (8 * header.size());
    const uint64_t lowest = reference >= span / 2 ? reference - span / 2 : 0;
    return lowest + ((low - lowest) & (span - 1));
}

BufferRef RecordSealer::seal(std::span<const uint8_t> plaintext) {
    return seal_record(key_, counter_++, kRecordHeader, plaintext);
}

std::vector<uint8_t> RecordOpener::open(std::span<const uint8_t> record) {
    if (record.size() < kRecordOverhead)
        throw RecordError("truncated record (" + std::to_string(record.size()) + " bytes, at least " +
                          std::to_string(kRecordOverhead) + " needed)");
    const uint64_t counter = record_counter(record.first(kRecordHeader), expected_);
    if (counter < expected_)
        throw RecordError("replayed record (counter " + std::to_string(counter) + ", expected " + std::to_string(expected_) + ")");
    if (counter > expected_)
        throw RecordError("record out of order (counter " + std::to_string(counter) + ", expected " +
                          std::to_string(expected_) + ")");
    std::optional<std::vector<uint8_t>> plaintext = open_record(key_, counter, kRecordHeader, record);
    if (!plaintext) throw RecordError("record failed authentication (tampered, or not from the peer)");
    ++expected_;
    return std::move(*plaintext);
}

}  // namespace tether::net
