// The codec-aom decoder, on dav1d: AV1 packets in, borrowed I420 pictures
// out, with one frame of delay at most (a packet's picture comes out of the
// call that decodes it).
#pragma once

#include <tether/plugin.hpp>

#include <dav1d/dav1d.h>

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::aom {

class Dav1dDecoder {
public:
    static int probe(const tether_host_api*, std::string& why);
    // threads 0: min(cores, 4).
    Dav1dDecoder(const tether_host_api* host, uint32_t threads);
    ~Dav1dDecoder();
    Dav1dDecoder(const Dav1dDecoder&) = delete;
    Dav1dDecoder& operator=(const Dav1dDecoder&) = delete;

    // Packets come from the network: anything dav1d rejects throws with its
    // reason, and the decoder then waits for a keyframe. A packet is one
    // picture, which reaches `sink` with planes valid during the call; one
    // that gives none is damaged too.
    void decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink);

private:
    size_t deliver_pictures(const tether_packet& meta, FrameSink sink);
    // Drops what was half decoded, so that the next keyframe starts clean,
    // and throws `why` with what dav1d logged.
    [[noreturn]] void fail(const std::string& why);
    static void collect_log(void* self, const char* format, va_list args);

    Dav1dContext* context_ = nullptr;
    std::string log_;  // what dav1d said during the current decode, its only detail on an error
};

}  // namespace tether::aom
