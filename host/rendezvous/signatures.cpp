#include "signatures.h"

#include <sodium.h>

#include <chrono>
#include <cstring>

namespace tether::rendezvous {
namespace {

constexpr std::string_view kVoucherLabel = "tether voucher";
constexpr std::string_view kRelayTokenLabel = "tether relay token";
constexpr std::string_view kRelayHelloLabel = "tether relay hello";
constexpr std::string_view kRegisterLabel = "tether register";
constexpr std::string_view kAnnounceLabel = "tether relay announce";
constexpr size_t kSessionNonceSize = 16;

// Labelled, length-prefixed fields: no two field lists encode alike.
class Message {
public:
    explicit Message(std::string_view label) { add(label); }
    Message& add(std::string_view field) {
        const uint32_t size = static_cast<uint32_t>(field.size());
        for (int shift = 0; shift < 32; shift += 8) bytes_.push_back(static_cast<uint8_t>(size >> shift));
        bytes_.insert(bytes_.end(), field.begin(), field.end());
        return *this;
    }
    Message& add(std::span<const uint8_t> field) {
        return add(std::string_view(reinterpret_cast<const char*>(field.data()), field.size()));
    }
    Message& add(int64_t value) {
        for (int shift = 0; shift < 64; shift += 8) bytes_.push_back(static_cast<uint8_t>(uint64_t(value) >> shift));
        return *this;
    }
    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

std::span<const uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string signature_of(const security::Identity& signer, const Message& message) {
    const auto signature = security::sign(signer, message.bytes());
    return {signature.begin(), signature.end()};
}

bool signed_by(const security::PublicKey& key, const Message& message, const std::string& signature) {
    return signature.size() == crypto_sign_BYTES && security::verify(key, message.bytes(), as_bytes(signature));
}

Message voucher_message(const std::string& id, const std::string& key, int64_t expiry) {
    Message m(kVoucherLabel);
    m.add(id).add(key).add(expiry);
    return m;
}

Message token_message(const proto::RelayToken& t) {
    Message m(kRelayTokenLabel);
    m.add(t.session_nonce()).add(t.host_key()).add(t.viewer_key()).add(t.expiry_unix());
    return m;
}

Message hello_message(const proto::RelayToken& t, bool host) {
    Message m(kRelayHelloLabel);
    m.add(t.signature()).add(std::string_view(host ? "host" : "viewer"));
    return m;
}

Message announce_message(const proto::RelayAnnounce& a) {
    Message m(kAnnounceLabel);
    m.add(a.addr()).add(int64_t{a.sessions()}).add(int64_t{a.capacity()});
    // Only when set, so that an announcement without one signs as before.
    if (!a.websocket_addr().empty()) m.add(a.websocket_addr());
    return m;
}

}  // namespace

std::optional<security::PublicKey> key_from_bytes(const std::string& bytes) {
    security::PublicKey key;
    if (bytes.size() != key.size()) return std::nullopt;
    std::memcpy(key.data(), bytes.data(), key.size());
    return key;
}

std::string key_bytes(const security::PublicKey& key) {
    return {reinterpret_cast<const char*>(key.data()), key.size()};
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

proto::Voucher make_voucher(const security::Identity& server, const std::string& id, const security::PublicKey& key,
                            int64_t expiry_unix) {
    proto::Voucher v;
    v.set_id(id);
    v.set_key(key_bytes(key));
    v.set_expiry_unix(expiry_unix);
    v.set_signature(signature_of(server, voucher_message(v.id(), v.key(), expiry_unix)));
    return v;
}

std::optional<std::string> check_voucher(const security::PublicKey& server_key, const proto::Voucher& voucher,
                                         const std::string& id, int64_t now_unix) {
    if (voucher.id() != id) return "the server vouched for another ID";
    if (!key_from_bytes(voucher.key())) return "the server's voucher holds no key";
    if (!signed_by(server_key, voucher_message(voucher.id(), voucher.key(), voucher.expiry_unix()), voucher.signature()))
        return "the voucher is not signed by the rendezvous server's key";
    if (voucher.expiry_unix() < now_unix) return "the server's voucher has expired";
    return std::nullopt;
}

proto::RelayToken make_relay_token(const security::Identity& server, const security::PublicKey& host_key,
                                   const security::PublicKey& viewer_key, int64_t expiry_unix) {
    proto::RelayToken t;
    std::string nonce(kSessionNonceSize, '\0');
    randombytes_buf(nonce.data(), nonce.size());
    t.set_session_nonce(nonce);
    t.set_host_key(key_bytes(host_key));
    t.set_viewer_key(key_bytes(viewer_key));
    t.set_expiry_unix(expiry_unix);
    t.set_signature(signature_of(server, token_message(t)));
    return t;
}

std::optional<std::string> check_relay_token(const security::PublicKey& server_key, const proto::RelayToken& token,
                                             int64_t now_unix) {
    if (token.session_nonce().size() != kSessionNonceSize || !key_from_bytes(token.host_key()) ||
        !key_from_bytes(token.viewer_key()))
        return "malformed token";
    if (!signed_by(server_key, token_message(token), token.signature())) return "forged token";
    if (token.expiry_unix() < now_unix) return "expired token";
    return std::nullopt;
}

proto::RelayHello make_relay_hello(const proto::RelayToken& token, bool host, const security::Identity& presenter) {
    proto::RelayHello hello;
    *hello.mutable_token() = token;
    hello.set_host(host);
    hello.set_signature(signature_of(presenter, hello_message(token, host)));
    return hello;
}

std::optional<std::string> check_relay_hello(const security::PublicKey& server_key, const proto::RelayHello& hello,
                                             int64_t now_unix) {
    if (auto refused = check_relay_token(server_key, hello.token(), now_unix)) return refused;
    const auto presenter = key_from_bytes(hello.host() ? hello.token().host_key() : hello.token().viewer_key());
    if (!signed_by(*presenter, hello_message(hello.token(), hello.host()), hello.signature()))
        return "token presented by a third party";
    return std::nullopt;
}

std::vector<uint8_t> register_proof_message(const std::string& id, std::span<const uint8_t> nonce) {
    Message m(kRegisterLabel);
    m.add(id).add(nonce);
    return m.bytes();
}

std::string relay_announce_mac(std::span<const uint8_t> secret, const proto::RelayAnnounce& announce) {
    const Message signed_part = announce_message(announce);
    const auto& message = signed_part.bytes();
    std::string mac(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<uint8_t*>(mac.data()), mac.size(), message.data(), message.size(),
                       secret.data(), secret.size());
    return mac;
}

bool check_relay_announce(std::span<const uint8_t> secret, const proto::RelayAnnounce& announce) {
    const std::string expected = relay_announce_mac(secret, announce);
    return announce.mac().size() == expected.size() &&
           sodium_memcmp(announce.mac().data(), expected.data(), expected.size()) == 0;
}

}  // namespace tether::rendezvous
