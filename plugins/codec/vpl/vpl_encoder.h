// The codec-vpl encoder: host frames converted to NV12 in system memory,
// one picture in flight, its bitstream handed to the host before encode()
// returns.
#pragma once

#include "vpl_runtime.h"
#include "vpl_settings.h"
#include "vpl_surface.h"

#include <tether/plugin.hpp>

#include <memory>
#include <vector>

namespace tether::vpl {

class VplEncoder {
public:
    // Throws Unavailable when no implementation here encodes `codec`,
    // std::invalid_argument for a bad configuration, std::runtime_error
    // when the runtime refuses it.
    VplEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config);
    ~VplEncoder();
    VplEncoder(const VplEncoder&) = delete;
    VplEncoder& operator=(const VplEncoder&) = delete;

    void encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink);
    // MFXVideoENCODE_Reset: a new rate or frame rate in place; a new size
    // within the first surfaces from an IDR. False when a new encoder is needed.
    bool reconfigure(const tether_encoder_config& config);

private:
    void initialize();
    void use_surface(const mfxFrameInfo& info);

    Codec codec_;
    const tether_host_api* host_;
    tether_encoder_config config_;
    Session session_;
    EncodeParams params_;
    mfxVideoParam initial_{};  // as Init took it, without extension buffers: what Reset stays within
    std::unique_ptr<Nv12Surface> surface_;
    std::vector<uint8_t> bitstream_bytes_;
    mfxBitstream bitstream_{};
    bool idr_next_ = false;  // after a resize: the next picture starts the new sequence
    uint64_t pictures_ = 0;
};

}  // namespace tether::vpl
