// Identities that are the same in every run, made from a one-byte seed: the
// relay hello fuzzer checks signatures against the key its seeds were made with.
#pragma once

#include "security/identity.h"

#include <cstdint>

namespace tether::fuzz {

security::Identity fixed_identity(uint8_t seed);

}  // namespace tether::fuzz
