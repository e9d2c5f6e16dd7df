#include "sodium_setup.h"

#include <sodium.h>

#include <stdexcept>

namespace tether::security {

void ensure_sodium() {
    // sodium_init() returns 1 when already initialised, -1 when the system has no usable randomness.
    static const int result = sodium_init();
    if (result < 0) throw std::runtime_error("cannot initialise libsodium (no secure random source)");
}

}  // namespace tether::security
