#include "aom_encoder.h"

#include "aom_settings.h"
#include "packet_output.h"
#include "probe.h"
#include "realtime_config.h"

#include <aom/aomcx.h>

#include <stdexcept>

namespace tether::aom {
namespace {

constexpr const char* plugin = "codec-aom";

aom_image_t wrap_i420(const codec::I420Picture& picture) {
    aom_image_t image{};
    // Lays out a tightly packed picture at planes[0]; the real planes and
    // strides replace that layout below.
    if (aom_img_wrap(&image, AOM_IMG_FMT_I420, picture.width, picture.height, 1, picture.planes[0]) == nullptr) {
        throw std::invalid_argument("cannot describe a " + std::to_string(picture.width) + "x" +
                                    std::to_string(picture.height) + " I420 picture to libaom");
    }
    for (int plane = 0; plane < 3; ++plane) {
        image.planes[plane] = picture.planes[plane];
        image.stride[plane] = static_cast<int>(picture.strides[plane]);
    }
    return image;
}

// Opens `context` with Tether's settings; throws with libaom's reason.
void open(aom_codec_ctx_t& context, const tether_encoder_config& resolved) {
    const aom_codec_enc_cfg_t settings = encoder_config(resolved);
    if (aom_codec_enc_init(&context, aom_codec_av1_cx(), &settings, 0) != AOM_CODEC_OK) {
        throw std::runtime_error("libaom cannot open an AV1 encoder: " + error_text(context));
    }
    try {
        apply_controls(context, resolved);
    } catch (...) {
        aom_codec_destroy(&context);
        throw;
    }
}

}  // namespace

int AomEncoder::probe(const tether_host_api*, std::string& why) {
    return codec::probe_by(why, [] {
        aom_codec_ctx_t context{};
        open(context, resolve(codec::probe_config));
        aom_codec_destroy(&context);
    });
}

AomEncoder::AomEncoder(const tether_host_api* host, const tether_encoder_config& config)
    : host_(host),
      config_(resolve(config)),
      opened_width_(config_.width),
      opened_height_(config_.height),
      input_(config_.width, config_.height) {
    codec::require_buffer_allocator(host_);
    open(context_, config_);
    codec::log_speed_clamped(plugin, "av1", config.speed, config_.speed, min_speed, max_speed);
    codec::log_started(plugin, "av1", config_);
}

AomEncoder::~AomEncoder() {
    aom_codec_destroy(&context_);
}

void AomEncoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    const bool keyframe = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0 || keyframe_due_;
    const codec::Input input = input_.take(frame, keyframe);
    aom_image_t image = wrap_i420(input.picture);
    const aom_enc_frame_flags_t aom_flags = keyframe ? AOM_EFLAG_FORCE_KF : 0;
    if (aom_codec_encode(&context_, &image, clock_.pts(), codec::FrameClock::duration(config_.fps), aom_flags) !=
        AOM_CODEC_OK) {
        throw std::runtime_error("libaom failed to encode a frame: " + error_text(context_));
    }
    clock_.advance(config_.fps);
    keyframe_due_ = false;
    aom_codec_iter_t iter = nullptr;
    while (const aom_codec_cx_pkt_t* packet = aom_codec_get_cx_data(&context_, &iter)) {
        if (packet->kind != AOM_CODEC_CX_FRAME_PKT) continue;
        codec::emit_packet(host_,
                           {static_cast<const uint8_t*>(packet->data.frame.buf), packet->data.frame.sz},
                           (packet->data.frame.flags & AOM_FRAME_IS_KEY) != 0, frame, sink);
    }
}

bool AomEncoder::reconfigure(const tether_encoder_config& config) {
    const tether_encoder_config next = resolve(config);
    const codec::ConfigChange change = codec::compare(config_, next);
    if (change.other || next.width > opened_width_ || next.height > opened_height_) return false;
    const aom_codec_enc_cfg_t settings = encoder_config(next);
    if (aom_codec_enc_config_set(&context_, &settings) != AOM_CODEC_OK)
        throw std::runtime_error("libaom refused the new configuration: " + error_text(context_));
    // The keyframe's share follows the frame rate (realtime_config.h).
    if (aom_codec_control(&context_, AOME_SET_MAX_INTRA_BITRATE_PCT, codec::max_keyframe_percent(next)) != AOM_CODEC_OK)
        throw std::runtime_error("libaom refused max-intra-rate: " + error_text(context_));
    if (change.size) {
        input_ = codec::EncoderInput(next.width, next.height);
        keyframe_due_ = true;
    }
    config_ = next;
    codec::log_started(plugin, "av1", config_);
    return true;
}

}  // namespace tether::aom
