// The codec-vpx encoder: host frames in, host-buffer packets out.
#pragma once

#include "encoder_input.h"
#include "vpx_encode_session.h"
#include "vpx_settings.h"

#include <tether/plugin.hpp>

#include <string>

namespace tether::vpx {

class VpxEncoder {
public:
    VpxEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config);
    // Calls `sink` once per packet; a packet's buffer is released when the sink returns.
    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);
    // ABI 1.6: EncodeSession::reconfigure, the pictures taken at the new size.
    bool reconfigure(const tether_encoder_config& config);

private:
    const tether_host_api* host_;
    EncodeSession session_;
    codec::EncoderInput input_;
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
