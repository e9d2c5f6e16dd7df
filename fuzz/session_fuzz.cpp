// Session messages as they arrive from the peer, after the record layer.
#include "session/protocol.h"

#include <cstdio>
#include <cstdlib>

using tether::session::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string error;
    const auto message = decode({data, size}, error);
    if (!message) return 0;
    // What decode accepted, encode must turn into bytes that decode accepts
    // again, unchanged.
    const tether::BufferRef encoded = tether::session::encode(*message);
    const auto again = decode(encoded.bytes(), error);
    if (!again || again->SerializeAsString() != message->SerializeAsString()) {
        std::fprintf(stderr, "a decoded message does not survive encode and decode: %s\n", error.c_str());
        std::abort();
    }
    return 0;
}
