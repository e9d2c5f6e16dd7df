// The codec-x264 decoder, on libavcodec's H.264 decoder: Annex B packets in,
// borrowed I420 pictures out, each with its packet (low delay, slice threads).
#pragma once

#include <tether/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace tether::x264 {

// Frees a libav object with its own function, which takes the pointer's address.
template <typename T, void (*free)(T**)>
struct AvFree {
    void operator()(T* object) const { free(&object); }
};

class AvcodecDecoder {
public:
    static int probe(const tether_host_api*, std::string& why);
    // threads 0: min(cores, 4).
    AvcodecDecoder(const tether_host_api* host, uint32_t threads);

    // Packets come from the network: anything libavcodec finds damaged
    // throws with its reason, and the decoder then waits for a keyframe. A
    // packet is one picture, which reaches `sink` with planes valid during
    // the call; one that gives none is damaged too.
    void decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink);

private:
    // Drops what was half decoded, so that the next keyframe starts clean, and throws `why`.
    [[noreturn]] void fail(const std::string& why);

    std::unique_ptr<AVCodecContext, AvFree<AVCodecContext, avcodec_free_context>> context_;
    std::unique_ptr<AVPacket, AvFree<AVPacket, av_packet_free>> packet_{av_packet_alloc()};
    std::unique_ptr<AVFrame, AvFree<AVFrame, av_frame_free>> picture_{av_frame_alloc()};
};

}  // namespace tether::x264
