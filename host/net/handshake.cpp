#include "handshake.h"

#include "handshake.pb.h"
#include "security/sodium_setup.h"

#include <sodium.h>

#include <algorithm>

namespace tether::net {
namespace {

constexpr std::string_view kTranscriptLabel = "tether handshake v1";
constexpr std::string_view kSignatureLabel = "tether handshake v1 host signature";

using Hash = std::array<uint8_t, crypto_generichash_BYTES_MAX>;

std::span<const uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }
std::span<const uint8_t> bytes_of(const std::string& s) { return bytes_of(std::string_view(s)); }

struct Hasher {
    crypto_generichash_state state{};
    explicit Hasher(std::span<const uint8_t> key = {}) {
        crypto_generichash_init(&state, key.empty() ? nullptr : key.data(), key.size(), crypto_generichash_BYTES_MAX);
    }
    // Length-prefixed, so no two different sequences of parts hash alike.
    Hasher& add(std::span<const uint8_t> part) {
        const uint32_t n = static_cast<uint32_t>(part.size());
        const std::array<uint8_t, 4> length{uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)};
        crypto_generichash_update(&state, length.data(), length.size());
        crypto_generichash_update(&state, part.data(), part.size());
        return *this;
    }
    Hash hash() {
        Hash out{};
        crypto_generichash_final(&state, out.data(), out.size());
        return out;
    }
};

// Everything both sides agreed on in the clear: the viewer's whole hello (its
// key and its cipher list, so a downgrade breaks the signature), the host's
// key and its choice.
Hash transcript(std::span<const uint8_t> client_hello, std::span<const uint8_t> host_ephemeral, Cipher cipher) {
    const uint32_t c = static_cast<uint32_t>(cipher);
    const std::array<uint8_t, 4> cipher_bytes{uint8_t(c), uint8_t(c >> 8), uint8_t(c >> 16), uint8_t(c >> 24)};
    return Hasher().add(bytes_of(kTranscriptLabel)).add(client_hello).add(host_ephemeral).add(cipher_bytes).hash();
}

Key derive(const Key& secret, std::string_view label, const Hash& t, std::span<const uint8_t> extra = {}) {
    Hasher h(secret);
    h.add(bytes_of(label)).add(t).add(extra);
    const Hash full = h.hash();
    Key key{};
    std::copy_n(full.begin(), key.size(), key.begin());
    return key;
}

std::vector<uint8_t> signed_part(const Hash& t) {
    std::vector<uint8_t> message(kSignatureLabel.size() + t.size());
    std::copy(t.begin(), t.end(), std::copy(kSignatureLabel.begin(), kSignatureLabel.end(), message.begin()));
    return message;
}

BufferRef serialize(const proto::HandshakeMessage& m) {
    BufferRef out = BufferRef::allocate(m.ByteSizeLong());
    m.SerializeWithCachedSizesToArray(out.data());
    return out;
}

proto::HandshakeMessage parse(std::span<const uint8_t> bytes) {
    if (bytes.size() > kMaxHandshakeMessage)
        throw HandshakeError("handshake message of " + std::to_string(bytes.size()) + " bytes is over the limit");
    proto::HandshakeMessage m;
    if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) throw HandshakeError("malformed handshake message");
    return m;
}

template <size_t N>
std::array<uint8_t, N> fixed(const std::string& field, const char* what) {
    if (field.size() != N) throw HandshakeError(std::string(what) + " has the wrong length");
    std::array<uint8_t, N> out{};
    std::copy(field.begin(), field.end(), out.begin());
    return out;
}

// The host's identity travels sealed: a passive observer learns neither who
// the host is nor its peer ID. The key is used once, so the nonce is zero.
constexpr std::array<uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> kIdentityNonce{};

}  // namespace

ClientHandshake::ClientHandshake(std::vector<Cipher> offered) : offered_(std::move(offered)) {
    security::ensure_sodium();
    crypto_kx_keypair(public_key_.data(), secret_key_.data());
    proto::HandshakeMessage m;
    auto* hello = m.mutable_client_hello();
    hello->set_handshake_version(kHandshakeVersion);
    hello->set_ephemeral_key(public_key_.data(), public_key_.size());
    for (Cipher c : offered_)
        if (c != Cipher::DebugPlaintext) hello->add_ciphers(static_cast<proto::Cipher>(c));
    hello_ = serialize(m);
}

ClientHandshake::~ClientHandshake() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

ClientHandshake::Result ClientHandshake::finish(std::span<const uint8_t> host_message) const {
    const proto::HandshakeMessage m = parse(host_message);
    if (m.has_reject()) throw HandshakeError("host refused the handshake: " + m.reject().reason().substr(0, 200));
    if (!m.has_host_hello()) throw HandshakeError("expected the host's hello");
    const auto& hello = m.host_hello();
    if (hello.handshake_version() != kHandshakeVersion)
        throw HandshakeError("host speaks handshake version " + std::to_string(hello.handshake_version()));
    const auto cipher = static_cast<Cipher>(hello.cipher());
    if (std::find(offered_.begin(), offered_.end(), cipher) == offered_.end())
        throw HandshakeError("host chose a cipher that was not offered");
    const auto host_ephemeral = fixed<crypto_kx_PUBLICKEYBYTES>(hello.ephemeral_key(), "host ephemeral key");

    Key from_host{};
    Key to_host{};
    if (crypto_kx_client_session_keys(from_host.data(), to_host.data(), public_key_.data(), secret_key_.data(),
                                      host_ephemeral.data()) != 0)
        throw HandshakeError("host ephemeral key is unusable");
    const Hash t = transcript(hello_.bytes(), host_ephemeral, cipher);

    const std::string& sealed = hello.sealed_identity();
    if (sealed.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES || sealed.size() > kMaxHandshakeMessage)
        throw HandshakeError("sealed identity has the wrong length");
    std::vector<uint8_t> opened(sealed.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const Key identity_key = derive(from_host, "identity", t);
    unsigned long long opened_size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(opened.data(), &opened_size, nullptr,
                                                   reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size(), nullptr, 0,
                                                   kIdentityNonce.data(), identity_key.data()) != 0)
        throw HandshakeError("host identity failed authentication");
    proto::HostIdentity identity;
    if (!identity.ParseFromArray(opened.data(), static_cast<int>(opened_size)))
        throw HandshakeError("malformed host identity");

    Result result;
    result.host_key = fixed<crypto_sign_PUBLICKEYBYTES>(identity.identity_key(), "host identity key");
    if (!security::verify(result.host_key, signed_part(t), bytes_of(identity.signature())))
        throw HandshakeError("host signature does not match its identity key");
    result.peer_id = identity.peer_id();
    if (result.peer_id != security::peer_id_of(result.host_key))
        throw HandshakeError("host claims a peer ID that its key does not give");
    result.keys.cipher = cipher;
    result.keys.send = derive(to_host, "viewer to host", t, result.host_key);
    result.keys.receive = derive(from_host, "host to viewer", t, result.host_key);
    return result;
}

HostHandshakeResult respond(const security::Identity& identity, std::span<const uint8_t> client_message,
                            const std::vector<Cipher>& supported) {
    security::ensure_sodium();
    const proto::HandshakeMessage m = parse(client_message);
    if (!m.has_client_hello()) throw HandshakeError("expected the viewer's hello");
    const auto& hello = m.client_hello();
    if (hello.handshake_version() != kHandshakeVersion)
        throw HandshakeError("viewer speaks handshake version " + std::to_string(hello.handshake_version()) +
                             ", this host " + std::to_string(kHandshakeVersion));
    const auto viewer_ephemeral = fixed<crypto_kx_PUBLICKEYBYTES>(hello.ephemeral_key(), "viewer ephemeral key");
    Cipher cipher{};
    bool agreed = false;
    for (int offered : hello.ciphers()) {
        const auto candidate = static_cast<Cipher>(offered);
        if (std::find(supported.begin(), supported.end(), candidate) != supported.end()) {
            cipher = candidate;
            agreed = true;
            break;
        }
    }
    if (!agreed) throw HandshakeError("no cipher in common with the viewer");

    std::array<uint8_t, crypto_kx_PUBLICKEYBYTES> public_key{};
    std::array<uint8_t, crypto_kx_SECRETKEYBYTES> secret_key{};
    crypto_kx_keypair(public_key.data(), secret_key.data());
    Key from_viewer{};
    Key to_viewer{};
    const int kx = crypto_kx_server_session_keys(from_viewer.data(), to_viewer.data(), public_key.data(),
                                                 secret_key.data(), viewer_ephemeral.data());
    sodium_memzero(secret_key.data(), secret_key.size());
    if (kx != 0) throw HandshakeError("viewer ephemeral key is unusable");
    const Hash t = transcript(client_message, public_key, cipher);

    proto::HostIdentity sealed_part;
    sealed_part.set_identity_key(identity.public_key.data(), identity.public_key.size());
    sealed_part.set_peer_id(identity.peer_id);
    const std::vector<uint8_t> signature = security::sign(identity, signed_part(t));
    sealed_part.set_signature(signature.data(), signature.size());
    const std::string plain = sealed_part.SerializeAsString();
    std::string sealed(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    const Key identity_key = derive(to_viewer, "identity", t);
    unsigned long long sealed_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<uint8_t*>(sealed.data()), &sealed_size,
                                               reinterpret_cast<const uint8_t*>(plain.data()), plain.size(), nullptr, 0,
                                               nullptr, kIdentityNonce.data(), identity_key.data());

    proto::HandshakeMessage reply;
    auto* host_hello = reply.mutable_host_hello();
    host_hello->set_handshake_version(kHandshakeVersion);
    host_hello->set_ephemeral_key(public_key.data(), public_key.size());
    host_hello->set_cipher(static_cast<proto::Cipher>(cipher));
    host_hello->set_sealed_identity(sealed);

    HostHandshakeResult result;
    result.keys.cipher = cipher;
    result.keys.send = derive(to_viewer, "host to viewer", t, identity.public_key);
    result.keys.receive = derive(from_viewer, "viewer to host", t, identity.public_key);
    result.reply = serialize(reply);
    return result;
}

BufferRef reject_message(const std::string& reason) {
    proto::HandshakeMessage m;
    m.mutable_reject()->set_reason(reason.substr(0, 200));
    return serialize(m);
}

}  // namespace tether::net
