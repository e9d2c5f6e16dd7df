#include "fixed_identity.h"

#include <sodium.h>

#include <array>

namespace tether::fuzz {

security::Identity fixed_identity(uint8_t seed) {
    std::array<uint8_t, crypto_sign_SEEDBYTES> bytes;
    bytes.fill(seed);
    security::Identity identity;
    crypto_sign_seed_keypair(identity.public_key.data(), identity.secret_key.data(), bytes.data());
    identity.peer_id = security::peer_id_of(identity.public_key);
    return identity;
}

}  // namespace tether::fuzz
