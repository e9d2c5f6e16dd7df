// The encrypted record layer: every message after the handshake is one
// record, [counter's low 16 bits, big-endian][ciphertext][16-byte tag], sealed
// with an AEAD under a per-direction key and a nonce made from the whole
// 64-bit counter. The receiver takes the counter nearest the one it expects
// with those low bits (as DTLS 1.3 does): it can still say *why* a record is
// refused (replayed, out of order, forged), and every record is 6 bytes
// shorter than with the whole counter, which counts when a keystroke's
// picture is a few dozen bytes.
#pragma once

#include "core/buffer.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace tether::net {

enum class Cipher : uint32_t {
    XChaCha20Poly1305 = 1,  // values match proto::Cipher
    Aes256Gcm = 2,
    // No encryption, same framing and counters. Never offered or accepted on
    // the wire; only `tether bench crypto` sets it on both ends in one process
    // to measure what encryption costs.
    DebugPlaintext = 0x7fff'ffff,
};

std::string cipher_name(Cipher cipher);
// What this machine can run, fastest first (AES-256-GCM only with AES-NI).
std::vector<Cipher> supported_ciphers();

using Key = std::array<uint8_t, 32>;

constexpr size_t kRecordHeader = 2;
constexpr size_t kRecordTag = 16;
constexpr size_t kRecordOverhead = kRecordHeader + kRecordTag;

// Why a record was refused; the channel ends with this as its reason.
class RecordError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One direction's cipher and key, with AES-GCM's key schedule precomputed;
// wiped when it goes.
class DirectionKey {
public:
    DirectionKey(Cipher cipher, const Key& key);
    ~DirectionKey();
    DirectionKey(const DirectionKey&) = delete;
    DirectionKey& operator=(const DirectionKey&) = delete;

    Cipher cipher;
    Key key;
    std::vector<uint8_t> aes_state;
};

// What both record layers (this one and unreliable_record.h) share.
// One record under `key` with the whole `counter` as its nonce: the counter's
// low `header_size` bytes big-endian, which are also the additional data, then
// the ciphertext and tag. A counter must never be sealed twice under one key.
BufferRef seal_record(const DirectionKey& key, uint64_t counter, size_t header_size, std::span<const uint8_t> plaintext);
// The plaintext of `record` if it was sealed as above under `key` with
// `counter`; nullopt when it is too short to hold a header and tag, or forged.
std::optional<std::vector<uint8_t>> open_record(const DirectionKey& key, uint64_t counter, size_t header_size,
                                                std::span<const uint8_t> record);
// The counter whose low bits `header` (1 to 7 bytes, big-endian) carries,
// nearest `reference`: from half their span below it to half above (from 0
// while `reference` is below half the span).
uint64_t record_counter(std::span<const uint8_t> header, uint64_t reference);

class RecordSealer {
public:
    RecordSealer(Cipher cipher, const Key& key) : key_(cipher, key) {}
    BufferRef seal(std::span<const uint8_t> plaintext);  // not thread-safe: one sender at a time

private:
    DirectionKey key_;
    uint64_t counter_ = 0;
};

class RecordOpener {
public:
    RecordOpener(Cipher cipher, const Key& key) : key_(cipher, key) {}
    // The plaintext, or RecordError: "truncated record", "replayed record",
    // "record out of order", "record failed authentication".
    std::vector<uint8_t> open(std::span<const uint8_t> record);

private:
    DirectionKey key_;
    uint64_t expected_ = 0;
};

}  // namespace tether::net
