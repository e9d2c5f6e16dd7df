// A libvpx encoder opened with Tether's settings (vpx_settings.h): the plugin
// and the bare benchmark both encode through this class.
#pragma once

#include "frame_clock.h"
#include "vpx_settings.h"

#include <vpx/vpx_encoder.h>
#include <vpx/vpx_image.h>

#include <cstdint>
#include <span>

namespace tether::vpx {

// A vpx_image_t over caller-owned I420 planes; no copy.
vpx_image_t wrap_i420(uint32_t width, uint32_t height, uint8_t* const planes[3], const uint32_t strides[3]);

class EncodeSession {
public:
    // Throws std::invalid_argument for a bad configuration and
    // std::runtime_error with libvpx's message when libvpx refuses it.
    EncodeSession(Codec codec, const tether_encoder_config& config);
    ~EncodeSession();
    EncodeSession(const EncodeSession&) = delete;
    EncodeSession& operator=(const EncodeSession&) = delete;

    Codec codec() const { return codec_; }
    const tether_encoder_config& config() const { return config_; }  // resolved

    // Encodes the next pictures with `config`: a new bitrate or frame rate
    // from the next picture on, without a keyframe; a size no larger than the
    // one the encoder opened with from a keyframe of that size (a larger one
    // makes libvpx reallocate its buffers mid-stream, which VP8 refuses).
    // False, changing nothing, for a larger size or new threads or speed,
    // which need a new encoder; throws for an invalid configuration.
    bool reconfigure(const tether_encoder_config& config);

    // Codes only the blocks marked 1 in the next pictures (one byte per 16x16
    // block of the configured size, row by row), copying the rest from the
    // picture before; null: all of them again.
    void set_active_blocks(uint8_t* map);

    // Encodes one picture of the configured size and calls
    // on_packet(std::span<const uint8_t> bitstream, bool keyframe) for each
    // packet, which is valid during the call only.
    template <typename OnPacket>
    void encode(const vpx_image_t& picture, bool force_keyframe, OnPacket&& on_packet) {
        submit(picture, force_keyframe);
        vpx_codec_iter_t iter = nullptr;
        while (const vpx_codec_cx_pkt_t* packet = vpx_codec_get_cx_data(&context_, &iter)) {
            if (packet->kind != VPX_CODEC_CX_FRAME_PKT) continue;
            on_packet(
                std::span<const uint8_t>(static_cast<const uint8_t*>(packet->data.frame.buf), packet->data.frame.sz),
                (packet->data.frame.flags & VPX_FRAME_IS_KEY) != 0);
        }
    }

private:
    void submit(const vpx_image_t& picture, bool force_keyframe);

    Codec codec_;
    tether_encoder_config config_;
    uint32_t opened_width_;
    uint32_t opened_height_;
    vpx_codec_ctx_t context_{};
    codec::FrameClock clock_;
    bool keyframe_due_ = false;  // the size changed: the next picture is a keyframe
};

}  // namespace tether::vpx
