#include "vpx_encode_session.h"

#include <vpx/vp8cx.h>

#include <stdexcept>
#include <string>

namespace tether::vpx {

vpx_image_t wrap_i420(uint32_t width, uint32_t height, uint8_t* const planes[3], const uint32_t strides[3]) {
    vpx_image_t image{};
    // Lays out a tightly packed picture at planes[0]; the real planes and
    // strides replace that layout below.
    if (vpx_img_wrap(&image, VPX_IMG_FMT_I420, width, height, 1, planes[0]) == nullptr) {
        throw std::invalid_argument("cannot describe a " + std::to_string(width) + "x" + std::to_string(height) +
                                    " I420 picture to libvpx");
    }
    for (int plane = 0; plane < 3; ++plane) {
        image.planes[plane] = planes[plane];
        image.stride[plane] = static_cast<int>(strides[plane]);
    }
    return image;
}

EncodeSession::EncodeSession(Codec codec, const tether_encoder_config& config)
    : codec_(codec), config_(resolve(codec, config)), opened_width_(config_.width), opened_height_(config_.height) {
    const vpx_codec_enc_cfg_t settings = encoder_config(codec, config_);
    if (vpx_codec_enc_init(&context_, encoder_interface(codec), &settings, 0) != VPX_CODEC_OK) {
        throw std::runtime_error("libvpx cannot open a " + std::string(codec_name(codec)) +
                                 " encoder: " + error_text(context_));
    }
    try {
        apply_controls(context_, codec, config_);
    } catch (...) {
        vpx_codec_destroy(&context_);
        throw;
    }
}

EncodeSession::~EncodeSession() {
    vpx_codec_destroy(&context_);
}

bool EncodeSession::reconfigure(const tether_encoder_config& config) {
    const tether_encoder_config next = resolve(codec_, config);
    const codec::ConfigChange change = codec::compare(config_, next);
    if (change.other || next.width > opened_width_ || next.height > opened_height_) return false;
    // The map of changed blocks has the old size's grid.
    if (change.size) set_active_blocks(nullptr);
    const vpx_codec_enc_cfg_t settings = encoder_config(codec_, next);
    if (vpx_codec_enc_config_set(&context_, &settings) != VPX_CODEC_OK)
        throw std::runtime_error("libvpx refused the new configuration: " + error_text(context_));
    apply_rate_controls(context_, next);
    keyframe_due_ = keyframe_due_ || change.size;
    config_ = next;
    return true;
}

void EncodeSession::set_active_blocks(uint8_t* map) {
    // libvpx checks the grid's size even when the map is null.
    vpx_active_map_t active{map, (config_.height + 15) / 16, (config_.width + 15) / 16};
    if (vpx_codec_control(&context_, VP8E_SET_ACTIVEMAP, &active) != VPX_CODEC_OK)
        throw std::runtime_error("libvpx refused the map of changed blocks: " + error_text(context_));
}

void EncodeSession::submit(const vpx_image_t& picture, bool force_keyframe) {
    if (picture.d_w != config_.width || picture.d_h != config_.height) {
        throw std::invalid_argument("picture is " + std::to_string(picture.d_w) + "x" + std::to_string(picture.d_h) +
                                    " but the encoder was opened for " + std::to_string(config_.width) + "x" +
                                    std::to_string(config_.height));
    }
    const vpx_enc_frame_flags_t flags = force_keyframe || keyframe_due_ ? VPX_EFLAG_FORCE_KF : 0;
    if (vpx_codec_encode(&context_, &picture, clock_.pts(), codec::FrameClock::duration(config_.fps), flags,
                         encode_deadline) != VPX_CODEC_OK) {
        throw std::runtime_error("libvpx failed to encode a frame: " + error_text(context_));
    }
    clock_.advance(config_.fps);
    keyframe_due_ = false;
}

}  // namespace tether::vpx
