// codec-aom: an AV1 encoder on libaom and an AV1 decoder on dav1d.
#include "aom_encoder.h"
#include "dav1d_decoder.h"

#include "decoded_picture.h"
#include "encoder_input.h"

#include <tether/plugin.hpp>

namespace {

using tether::aom::AomEncoder;
using tether::aom::Dav1dDecoder;

using tether::codec::accepted_formats;
using tether::codec::decoded_formats;

constexpr tether_encoder_vtable av1_encoder = tether::encoder_vtable<AomEncoder>("av1", accepted_formats);
constexpr tether_decoder_vtable av1_decoder = tether::decoder_vtable<Dav1dDecoder>("av1", decoded_formats);

constexpr tether_factory av1_encoder_factory = tether::factory(
    TETHER_KIND_ENCODER, "aom-av1", "AV1 software encoder (libaom), realtime screen-content tools", 0, &av1_encoder);
constexpr tether_factory av1_decoder_factory =
    tether::factory(TETHER_KIND_DECODER, "dav1d-av1", "AV1 software decoder (dav1d), low latency", 0, &av1_decoder);

}  // namespace

TETHER_PLUGIN("codec-aom", TETHER_VERSION, "AV1 encoder on libaom and decoder on dav1d", &av1_encoder_factory,
              &av1_decoder_factory)
