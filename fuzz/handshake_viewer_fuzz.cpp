// The viewer's side of the handshake: the host's answer to our hello.
#include "deterministic_random.h"
#include "net/handshake.h"

using namespace tether;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::use_deterministic_random();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::restart_random();
    // The same ephemeral key for every input, so a seed answer sealed for it
    // (fuzz/seed_corpus.cpp) opens and the fuzzer starts past the decryption.
    const net::ClientHandshake viewer;
    try {
        viewer.finish({data, size});
    } catch (const net::HandshakeError&) {
    }
    return 0;
}
