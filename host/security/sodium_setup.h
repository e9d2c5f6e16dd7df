// libsodium must be initialised once before any of its randomness or crypto is used.
#pragma once

namespace tether::security {

// Initialises libsodium on the first call; throws std::runtime_error if it cannot.
void ensure_sodium();

}  // namespace tether::security
