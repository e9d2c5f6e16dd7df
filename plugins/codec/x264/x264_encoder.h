// The codec-x264 encoder: host frames in, H.264 Annex B access units (one a
// frame) out.
#pragma once

#include "encoder_input.h"

#include <tether/plugin.hpp>

#include <cstdarg>
#include <cstdint>
#include <string>

#include <x264.h>

namespace tether::x264 {

class X264Encoder {
public:
    static int probe(const tether_host_api*, std::string& why);
    X264Encoder(const tether_host_api* host, const tether_encoder_config& config);
    ~X264Encoder();
    X264Encoder(const X264Encoder&) = delete;
    X264Encoder& operator=(const X264Encoder&) = delete;

    // Calls `sink` once per packet; a packet's buffer is released when the sink returns.
    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);

    // ABI 1.6. A new bitrate or frame rate from the next picture, without a
    // keyframe (x264_encoder_reconfig). False, changing nothing, for a new
    // size, which x264 cannot take in place, or new threads or speed.
    bool reconfigure(const tether_encoder_config& config);

private:
    static void forward_log(void* self, int level, const char* format, va_list args);

    const tether_host_api* host_;
    tether_encoder_config config_;  // resolved
    uint32_t opened_fps_;
    x264_param_t param_;
    std::string error_;  // x264's last error, its only reason for a failure
    x264_t* encoder_ = nullptr;
    codec::EncoderInput input_;
    int64_t next_pts_ = 0;
};

}  // namespace tether::x264
