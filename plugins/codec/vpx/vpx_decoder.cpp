#include "vpx_decoder.h"

#include <stdexcept>

namespace tether::vpx {
namespace {

// Far above a keyframe of the largest picture at high quality; anything
// bigger is not a real packet.
constexpr size_t max_packet_bytes = 64u << 20;

}  // namespace

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
    if (data == nullptr || size == 0) throw std::invalid_argument("empty packet");
    if (size > max_packet_bytes) {
        throw std::invalid_argument("packet of " + std::to_string(size) + " bytes exceeds the " +
                                    std::to_string(max_packet_bytes) + "-byte limit");
    }
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
        tether_video_frame frame{};
        frame.struct_size = sizeof(tether_video_frame);
        frame.format = TETHER_PIXEL_I420;
        frame.width = image->d_w;
        frame.height = image->d_h;
        for (int plane = 0; plane < 3; ++plane) {
            frame.planes[plane] = image->planes[plane];
            frame.strides[plane] = static_cast<uint32_t>(image->stride[plane]);
        }
        frame.buffer = nullptr;  // borrowed from libvpx until the sink returns
        frame.frame_number = meta.frame_number;
        frame.capture_time_us = meta.capture_time_us;
        sink(frame);
    }
}

int probe_decoder(Codec codec, std::string& why) {
    try {
        VpxDecoder decoder(codec, 1);
        return TETHER_OK;
    } catch (const std::exception& e) {
        why = e.what();
        return TETHER_UNAVAILABLE;
    }
}

}  // namespace tether::vpx
