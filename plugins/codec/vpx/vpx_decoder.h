// The codec-vpx decoder: packets in, borrowed I420 pictures out.
#pragma once

#include "vpx_settings.h"

#include <tether/plugin.hpp>

#include <vpx/vpx_decoder.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::vpx {

class VpxDecoder {
public:
    // threads 0: min(cores, 4).
    VpxDecoder(Codec codec, uint32_t threads);
    ~VpxDecoder();
    VpxDecoder(const VpxDecoder&) = delete;
    VpxDecoder& operator=(const VpxDecoder&) = delete;

    // Packets come from the network: anything libvpx rejects throws with its
    // message, and the decoder then waits for a keyframe. Each picture
    // reaches `sink` with planes valid during the call.
    void decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink);

private:
    void open();

    Codec codec_;
    uint32_t threads_;
    vpx_codec_ctx_t context_{};
};

// TETHER_OK when libvpx can open a decoder, otherwise TETHER_UNAVAILABLE and why.
int probe_decoder(Codec codec, std::string& why);

// One class per codec, the shape tether::decoder_vtable expects.
template <Codec codec>
struct DecoderFor : VpxDecoder {
    static int probe(const tether_host_api*, std::string& why) { return probe_decoder(codec, why); }
    DecoderFor(const tether_host_api*, uint32_t threads) : VpxDecoder(codec, threads) {}
};

}  // namespace tether::vpx
