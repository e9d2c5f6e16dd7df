// libFuzzer expects an input to take the same path every time it runs, but
// the handshake draws fresh ephemeral keys from libsodium's randomness. The
// fuzz targets replace that randomness with a fixed stream which restarts
// for each input. Never used outside fuzz/: these keys are public.
#pragma once

namespace tether::fuzz {

// Installs the fixed stream and initialises libsodium, which draws from it
// once. Must run before anything else initialises libsodium
// (LLVMFuzzerInitialize, or first thing in main).
void use_deterministic_random();

// The stream starts over: the same calls get the same bytes as last time.
void restart_random();

}  // namespace tether::fuzz
