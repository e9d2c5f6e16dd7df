#include "vpx_encoder.h"

#include "frame_damage.h"
#include "packet_output.h"
#include "probe.h"

#include <stdexcept>

namespace tether::vpx {

VpxEncoder::VpxEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config)
    : host_(host), session_(codec, config), input_(session_.config().width, session_.config().height) {
    codec::require_buffer_allocator(host_);
    codec::log_started("codec-vpx", codec_name(codec), session_.config());
}

void VpxEncoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    const bool keyframe = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0;
    // Only what changed since the picture before is converted and coded.
    const codec::Input input = input_.take(frame, keyframe);
    if (!input.changed.empty()) {
        std::vector<uint8_t> blocks = codec::active_blocks(input.changed, frame.width, frame.height);
        session_.set_active_blocks(blocks.data());
        active_map_set_ = true;
    } else if (active_map_set_) {
        session_.set_active_blocks(nullptr);
        active_map_set_ = false;
    }
    const codec::I420Picture& picture = input.picture;
    const vpx_image_t image = wrap_i420(picture.width, picture.height, picture.planes, picture.strides);
    session_.encode(image, keyframe, [&](std::span<const uint8_t> bitstream, bool key) {
        codec::emit_packet(host_, bitstream, key, frame, sink);
    });
}

bool VpxEncoder::reconfigure(const tether_encoder_config& config) {
    if (!session_.reconfigure(config)) return false;
    const tether_encoder_config& used = session_.config();
    if (used.width != input_.width() || used.height != input_.height()) {
        input_ = codec::EncoderInput(used.width, used.height);
        active_map_set_ = false;  // the session cleared it
    }
    codec::log_started("codec-vpx", codec_name(session_.codec()), used);
    return true;
}

int probe_encoder(Codec codec, std::string& why) {
    return codec::probe_by(why, [codec] { EncodeSession session(codec, codec::probe_config); });
}

}  // namespace tether::vpx
