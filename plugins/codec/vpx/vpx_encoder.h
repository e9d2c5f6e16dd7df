// The codec-vpx encoder: host frames in, host-buffer packets out.
#pragma once

#include "vpx_encode_session.h"
#include "vpx_settings.h"

#include <tether/plugin.hpp>

#include <vpx/vpx_image.h>

#include <memory>
#include <span>
#include <string>

namespace tether::vpx {

class VpxEncoder {
public:
    VpxEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config);
    // Calls `sink` once per packet; a packet's buffer is released when the sink returns.
    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);

private:
    // `changed`: the parts to convert; empty: all of it.
    vpx_image_t picture_of(const tether_video_frame& frame, std::span<const tether_rect> changed);
    vpx_image_t converted_from_bgra(const tether_video_frame& frame, std::span<const tether_rect> changed);
    void emit(std::span<const uint8_t> bitstream, bool keyframe, const tether_video_frame& frame, PacketSink sink);

    const tether_host_api* host_;
    EncodeSession session_;
    // BGRA frames are converted into this picture, made on the first one.
    std::unique_ptr<vpx_image_t, decltype(&vpx_img_free)> converted_{nullptr, &vpx_img_free};
    bool coded_before_ = false;       // a picture was coded: the next may code only what changed
    bool converted_is_last_ = false;  // converted_ holds the picture coded last
    bool active_map_set_ = false;
};

// TETHER_OK when libvpx can open a small encoder, otherwise TETHER_UNAVAILABLE and why.
int probe_encoder(Codec codec, std::string& why);

// One class per codec, the shape tether::encoder_vtable expects.
template <Codec codec>
struct EncoderFor : VpxEncoder {
    static int probe(const tether_host_api*, std::string& why) { return probe_encoder(codec, why); }
    EncoderFor(const tether_host_api* host, const tether_encoder_config& config) : VpxEncoder(codec, host, config) {}
};

}  // namespace tether::vpx
