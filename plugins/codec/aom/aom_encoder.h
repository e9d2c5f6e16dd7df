// The codec-aom encoder: host frames in, AV1 temporal units (one a frame) out.
#pragma once

#include "encoder_input.h"
#include "frame_clock.h"

#include <tether/plugin.hpp>

#include <aom/aom_encoder.h>

#include <string>

namespace tether::aom {

class AomEncoder {
public:
    static int probe(const tether_host_api*, std::string& why);
    AomEncoder(const tether_host_api* host, const tether_encoder_config& config);
    ~AomEncoder();
    AomEncoder(const AomEncoder&) = delete;
    AomEncoder& operator=(const AomEncoder&) = delete;

    // Calls `sink` once per packet; a packet's buffer is released when the sink returns.
    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);

    // ABI 1.6. A new bitrate or frame rate from the next picture, without a
    // keyframe; a size no larger than the one opened with from a keyframe of
    // that size (libaom reallocates for a larger one). False, changing
    // nothing, for a larger size or new threads or speed.
    bool reconfigure(const tether_encoder_config& config);

private:
    const tether_host_api* host_;
    tether_encoder_config config_;  // resolved
    uint32_t opened_width_;
    uint32_t opened_height_;
    aom_codec_ctx_t context_{};
    codec::EncoderInput input_;
    codec::FrameClock clock_;
    bool keyframe_due_ = false;  // the size changed: the next picture is a keyframe
};

}  // namespace tether::aom
