#include "record.h"

#include "security/sodium_setup.h"

#include <sodium.h>

#include <cstring>

namespace tether::net {
namespace {

constexpr uint64_t kCounterSpan = uint64_t{1} << (8 * kRecordHeader);

void put_counter(uint8_t* out, uint64_t counter) {
    for (size_t i = kRecordHeader; i-- > 0; counter >>= 8) out[i] = static_cast<uint8_t>(counter);
}

// The counter nearest `expected` whose low bits the record carries.
uint64_t get_counter(const uint8_t* in, uint64_t expected) {
    uint64_t low = 0;
    for (size_t i = 0; i < kRecordHeader; ++i) low = low << 8 | in[i];
    const uint64_t candidate = (expected & ~(kCounterSpan - 1)) | low;
    if (candidate + kCounterSpan / 2 < expected) return candidate + kCounterSpan;
    if (candidate >= kCounterSpan && candidate > expected + kCounterSpan / 2) return candidate - kCounterSpan;
    return candidate;
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

BufferRef RecordSealer::seal(std::span<const uint8_t> plaintext) {
    BufferRef record = BufferRef::allocate(kRecordOverhead + plaintext.size());
    uint8_t* header = record.data();
    uint8_t* body = header + kRecordHeader;
    put_counter(header, counter_);
    const auto nonce = nonce_of(counter_++);
    unsigned long long written = 0;
    switch (key_.cipher) {
    case Cipher::XChaCha20Poly1305:
        crypto_aead_xchacha20poly1305_ietf_encrypt(body, &written, plaintext.data(), plaintext.size(), header,
                                                   kRecordHeader, nullptr, nonce.data(), key_.key.data());
        break;
    case Cipher::Aes256Gcm:
        crypto_aead_aes256gcm_encrypt_afternm(body, &written, plaintext.data(), plaintext.size(), header, kRecordHeader,
                                              nullptr, aes_nonce(nonce), aes(key_.aes_state));
        break;
    case Cipher::DebugPlaintext:
        if (!plaintext.empty()) std::memcpy(body, plaintext.data(), plaintext.size());
        std::memset(body + plaintext.size(), 0, kRecordTag);
        break;
    }
    return record;
}

std::vector<uint8_t> RecordOpener::open(std::span<const uint8_t> record) {
    if (record.size() < kRecordOverhead)
        throw RecordError("truncated record (" + std::to_string(record.size()) + " bytes, at least " +
                          std::to_string(kRecordOverhead) + " needed)");
    const uint8_t* header = record.data();
    const uint64_t counter = get_counter(header, expected_);
    if (counter < expected_)
        throw RecordError("replayed record (counter " + std::to_string(counter) + ", expected " + std::to_string(expected_) + ")");
    if (counter > expected_)
        throw RecordError("record out of order (counter " + std::to_string(counter) + ", expected " +
                          std::to_string(expected_) + ")");
    const auto nonce = nonce_of(counter);
    const auto body = record.subspan(kRecordHeader);
    std::vector<uint8_t> plaintext(body.size() - kRecordTag);
    unsigned long long written = 0;
    int status = 0;
    switch (key_.cipher) {
    case Cipher::XChaCha20Poly1305:
        status = crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext.data(), &written, nullptr, body.data(), body.size(),
                                                            header, kRecordHeader, nonce.data(), key_.key.data());
        break;
    case Cipher::Aes256Gcm:
        status = crypto_aead_aes256gcm_decrypt_afternm(plaintext.data(), &written, nullptr, body.data(), body.size(),
                                                       header, kRecordHeader, aes_nonce(nonce), aes(key_.aes_state));
        break;
    case Cipher::DebugPlaintext:
        if (!plaintext.empty()) std::memcpy(plaintext.data(), body.data(), plaintext.size());
        break;
    }
    if (status != 0) throw RecordError("record failed authentication (tampered, or not from the peer)");
    ++expected_;
    return plaintext;
}

}  // namespace tether::net
