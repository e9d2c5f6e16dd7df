// The encoder tables both hardware plugins offer, one per codec: each
// probes with a real encode (hw_test_encode.h), reports the device's sizes
// (ABI 1.6 limits) and takes I420 or BGRA.
#pragma once

#include "hw_codec.h"
#include "encoder_input.h"
#include "hw_test_encode.h"

#include <tether/plugin.hpp>

#include <string>

namespace tether::hw {

using DeviceLimits = void (*)(Codec, tether_encoder_limits&);

// Encoder, made from (codec, host, config), as the class tether::encoder_vtable expects.
template <typename Encoder, Codec codec, DeviceLimits device_limits>
struct EncoderFor : Encoder {
    static int probe(const tether_host_api* host, std::string& why) {
        return probe_by_test_encode<Encoder>(why, codec, host);
    }
    static void limits(const tether_host_api*, tether_encoder_limits& limits) { device_limits(codec, limits); }
    EncoderFor(const tether_host_api* host, const tether_encoder_config& config) : Encoder(codec, host, config) {}
};

// Up to max_side by max_side before limits() says what this device takes.
template <typename Encoder, Codec codec, DeviceLimits device_limits>
constexpr tether_encoder_vtable encoder_vtable(uint32_t max_side) {
    return tether::encoder_vtable<EncoderFor<Encoder, codec, device_limits>>(
        codec_name(codec).data(), codec::accepted_formats, TETHER_CODEC_HARDWARE, max_side, max_side);
}

}  // namespace tether::hw
