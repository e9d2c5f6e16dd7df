// A host identity for the handshake fuzzers and their seeds, created in a
// private temporary folder that is removed again at once.
#pragma once

#include "security/identity.h"

namespace tether::fuzz {

security::Identity throwaway_identity();

}  // namespace tether::fuzz
