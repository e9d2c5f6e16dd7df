#include "vpx_decoder.h"

#include "decoded_picture.h"
#include "packet_input.h"
#include "probe.h"

#include <stdexcept>

namespace tether::vpx {

VpxDecoder::VpxDecoder(Codec codec, uint32_t threads)
    : codec_(codec), threads_(threads == 0 ? default_threads(codec) : threads) {
    if (threads > max_threads) {
        throw std::invalid_argument("threads must be between 0 and " + std::to_string(max_threads) + " (got " +
                                    std::to_string(threads) + ")");
    }
    open();
}

void VpxDecoder::open() {
    const vpx_codec_dec_cfg_t settings{.threads = threads_, .w = 0, .h = 0};
    if (vpx_codec_dec_init(&context_, decoder_interface(codec_), &settings, 0) != VPX_CODEC_OK) {
        throw std::runtime_error("libvpx cannot open a " + std::string(codec_name(codec_)) +
                                 " decoder: " + error_text(context_));
    }
}

VpxDecoder::~VpxDecoder() {
    vpx_codec_destroy(&context_);
}

void VpxDecoder::decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink) {
    codec::require_packet(data, size);
    if (vpx_codec_decode(&context_, data, static_cast<unsigned int>(size), nullptr, 0) != VPX_CODEC_OK) {
        const std::string reason =
            "cannot decode " + std::string(codec_name(codec_)) + " packet: " + error_text(context_);
        // libvpx's multi-threaded VP8 decoder can stay broken after a corrupt
        // keyframe; a fresh context accepts the next keyframe, which the host
        // asks for after any decode error.
        vpx_codec_destroy(&context_);
        open();
        throw std::runtime_error(reason);
    }
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_image_t* image = vpx_codec_get_frame(&context_, &iter)) {
        // Profile 0 streams, the only ones our encoders make, decode to 8-bit I420.
        if (image->fmt != VPX_IMG_FMT_I420) {
            throw std::runtime_error("decoded picture has libvpx format " + std::to_string(image->fmt) +
                                     "; only 8-bit 4:2:0 is supported");
        }
        const uint32_t strides[3] = {static_cast<uint32_t>(image->stride[0]), static_cast<uint32_t>(image->stride[1]),
                                     static_cast<uint32_t>(image->stride[2])};
        sink(codec::borrowed_picture(image->d_w, image->d_h, image->planes, strides, meta));
    }
}

int probe_decoder(Codec codec, std::string& why) {
    return codec::probe_by(why, [codec] { VpxDecoder decoder(codec, 1); });
}

}  // namespace tether::vpx
