// The codec-nvenc encoder: host frames into system-memory NVENC input
// buffers, one picture at a time, its bitstream handed to the host before
// encode() returns.
#pragma once

#include "nvenc_session.h"
#include "nvenc_settings.h"

#include <tether/plugin.hpp>

namespace tether::nvenc {

class NvencEncoder {
public:
    // Throws Unavailable when the device cannot encode `codec`, std::invalid_argument
    // for a bad configuration, std::runtime_error when the driver refuses it.
    NvencEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config);
    ~NvencEncoder();
    NvencEncoder(const NvencEncoder&) = delete;
    NvencEncoder& operator=(const NvencEncoder&) = delete;

    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);
    // A new rate or frame rate in place; a new size within the session's
    // reserved size from an IDR. False when a new encoder is needed.
    bool reconfigure(const tether_encoder_config& config);

    const tether_encoder_config& config() const { return config_; }  // resolved

private:
    void prepare_input(NV_ENC_BUFFER_FORMAT format);
    void destroy_input();
    void submit(const tether_video_frame& frame, bool idr);
    void collect(const tether_video_frame& frame, PacketSink sink);

    Codec codec_;
    const tether_host_api* host_;
    tether_encoder_config config_;
    Session session_;
    NV_ENC_CONFIG encode_config_{};
    NV_ENC_INITIALIZE_PARAMS params_{};
    NV_ENC_OUTPUT_PTR bitstream_ = nullptr;
    // Made for the first frame, again when the format or size changes.
    NV_ENC_INPUT_PTR input_ = nullptr;
    NV_ENC_BUFFER_FORMAT input_format_ = NV_ENC_BUFFER_FORMAT_UNDEFINED;
    uint32_t input_width_ = 0;
    uint32_t input_height_ = 0;
    bool idr_next_ = false;  // after a resize: the next picture starts the new sequence
    uint64_t pictures_ = 0;
};

}  // namespace tether::nvenc
