#include "deterministic_random.h"

#include "security/sodium_setup.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace tether::fuzz {
namespace {

uint64_t calls = 0;

// Each call gets its own block of a fixed ChaCha20 stream, keyed by how many
// calls came before it since the last restart.
void fill(void* const buffer, const size_t size) {
    std::array<uint8_t, randombytes_SEEDBYTES> seed{};
    for (size_t i = 0; i < sizeof calls; ++i) seed[i] = static_cast<uint8_t>(calls >> (8 * i));
    ++calls;
    randombytes_buf_deterministic(buffer, size, seed.data());
}

uint32_t random_word() {
    uint32_t word = 0;
    fill(&word, sizeof word);
    return word;
}

const char* implementation_name() { return "tether-fuzz-deterministic"; }

// libsodium falls back to its own uniform() over random(), and skips the
// missing stir() and close().
randombytes_implementation deterministic{implementation_name, random_word, nullptr, nullptr, fill, nullptr};

}  // namespace

void use_deterministic_random() {
    if (randombytes_set_implementation(&deterministic) != 0) {
        std::fputs("cannot install the deterministic random source\n", stderr);
        std::abort();
    }
    // Now, so that its own draw does not shift the first input's stream.
    security::ensure_sodium();
}

void restart_random() { calls = 0; }

}  // namespace tether::fuzz
