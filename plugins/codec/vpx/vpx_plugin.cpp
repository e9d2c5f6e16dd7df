// codec-vpx: VP8 and VP9 encoders and decoders on libvpx.
#include "vpx_decoder.h"
#include "vpx_encoder.h"

#include "decoded_picture.h"
#include "encoder_input.h"

#include <tether/plugin.hpp>

namespace {

using tether::vpx::Codec;
using tether::vpx::DecoderFor;
using tether::vpx::EncoderFor;

using tether::codec::accepted_formats;
using tether::codec::decoded_formats;

constexpr tether_encoder_vtable vp8_encoder = tether::encoder_vtable<EncoderFor<Codec::vp8>>("vp8", accepted_formats);
constexpr tether_encoder_vtable vp9_encoder = tether::encoder_vtable<EncoderFor<Codec::vp9>>("vp9", accepted_formats);
constexpr tether_decoder_vtable vp8_decoder = tether::decoder_vtable<DecoderFor<Codec::vp8>>("vp8", decoded_formats);
constexpr tether_decoder_vtable vp9_decoder = tether::decoder_vtable<DecoderFor<Codec::vp9>>("vp9", decoded_formats);

constexpr tether_factory vp8_encoder_factory = tether::factory(
    TETHER_KIND_ENCODER, "vpx-vp8", "VP8 software encoder (libvpx), realtime screen settings", 0, &vp8_encoder);
constexpr tether_factory vp9_encoder_factory = tether::factory(
    TETHER_KIND_ENCODER, "vpx-vp9", "VP9 software encoder (libvpx), realtime screen-content tuning", 0, &vp9_encoder);
constexpr tether_factory vp8_decoder_factory =
    tether::factory(TETHER_KIND_DECODER, "vpx-vp8", "VP8 software decoder (libvpx)", 0, &vp8_decoder);
constexpr tether_factory vp9_decoder_factory =
    tether::factory(TETHER_KIND_DECODER, "vpx-vp9", "VP9 software decoder (libvpx)", 0, &vp9_decoder);

}  // namespace

TETHER_PLUGIN("codec-vpx", TETHER_VERSION, "VP8 and VP9 encoders and decoders on libvpx", &vp8_encoder_factory,
              &vp9_encoder_factory, &vp8_decoder_factory, &vp9_decoder_factory)
