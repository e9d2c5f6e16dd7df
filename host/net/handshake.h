// The handshake that opens every session (docs/protocol.md, docs/security.md):
// ephemeral X25519 on both sides, crypto_kx session keys bound to the
// transcript, the host's long-term Ed25519 identity sealed under the
// handshake key and signing the transcript. Pure functions over bytes, so
// the same code runs over any transport and is fuzzed directly.
#pragma once

#include "core/buffer.h"
#include "record.h"
#include "security/identity.h"

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace tether::net {

constexpr uint32_t kHandshakeVersion = 2;  // 2: records carry 16 bits of their counter
constexpr size_t kMaxHandshakeMessage = 4096;

class HandshakeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SessionKeys {
    Cipher cipher{};
    Key send{};
    Key receive{};
};

// The viewer's side.
class ClientHandshake {
public:
    explicit ClientHandshake(std::vector<Cipher> offered = supported_ciphers());
    ~ClientHandshake();
    ClientHandshake(const ClientHandshake&) = delete;
    ClientHandshake& operator=(const ClientHandshake&) = delete;

    const BufferRef& hello() const { return hello_; }  // the first message to send

    struct Result {
        SessionKeys keys;
        security::PublicKey host_key{};
        std::string peer_id;
    };
    // Checks the host's answer: its identity must sign this very handshake.
    // Throws HandshakeError with the reason. Whether the key is the expected
    // one is the caller's decision (pinning), made before anything is sent.
    Result finish(std::span<const uint8_t> host_message) const;

private:
    std::vector<Cipher> offered_;
    std::array<uint8_t, 32> public_key_{};
    std::array<uint8_t, 32> secret_key_{};
    BufferRef hello_;
};

struct HostHandshakeResult {
    SessionKeys keys;
    BufferRef reply;  // HostHello, to send before any record
};

// The host's side: answers one ClientHello. Throws HandshakeError with the
// reason; send reject_message(reason) to tell the viewer.
HostHandshakeResult respond(const security::Identity& identity, std::span<const uint8_t> client_message,
                            const std::vector<Cipher>& supported = supported_ciphers());

BufferRef reject_message(const std::string& reason);

}  // namespace tether::net
