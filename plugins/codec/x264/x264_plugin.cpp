// codec-x264: an H.264 encoder on libx264 and an H.264 decoder on libavcodec.
#include "avcodec_decoder.h"
#include "x264_encoder.h"

#include "decoded_picture.h"
#include "encoder_input.h"

#include <tether/plugin.hpp>

namespace {

using tether::x264::AvcodecDecoder;
using tether::x264::X264Encoder;

using tether::codec::accepted_formats;
using tether::codec::decoded_formats;

constexpr tether_encoder_vtable h264_encoder = tether::encoder_vtable<X264Encoder>("h264", accepted_formats);
constexpr tether_decoder_vtable h264_decoder = tether::decoder_vtable<AvcodecDecoder>("h264", decoded_formats);

constexpr tether_factory h264_encoder_factory = tether::factory(
    TETHER_KIND_ENCODER, "x264-h264", "H.264 software encoder (libx264), tune zerolatency", 0, &h264_encoder);
constexpr tether_factory h264_decoder_factory = tether::factory(
    TETHER_KIND_DECODER, "avcodec-h264", "H.264 software decoder (libavcodec), low delay", 0, &h264_decoder);

}  // namespace

TETHER_PLUGIN("codec-x264", TETHER_VERSION, "H.264 encoder on libx264 and decoder on libavcodec",
              &h264_encoder_factory, &h264_decoder_factory)
