// The host's side of the handshake: the viewer's first message, the very
// first bytes anyone on the network can send.
#include "deterministic_random.h"
#include "net/handshake.h"
#include "throwaway_identity.h"

using namespace tether;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::use_deterministic_random();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const security::Identity identity = fuzz::throwaway_identity();
    fuzz::restart_random();
    try {
        net::respond(identity, {data, size});
    } catch (const net::HandshakeError&) {
    }
    return 0;
}
