#include "nvenc_limits.h"

#include "nvenc_session.h"

#include <algorithm>

namespace tether::nvenc {

void device_limits(Codec codec, tether_encoder_limits& limits) {
    const Session session;
    session.require(codec);
    auto side = [&](NV_ENC_CAPS which) { return static_cast<uint32_t>(std::max(1, session.caps(codec, which))); };
    limits.min_width = side(NV_ENC_CAPS_WIDTH_MIN);
    limits.min_height = side(NV_ENC_CAPS_HEIGHT_MIN);
    limits.max_width = side(NV_ENC_CAPS_WIDTH_MAX);
    limits.max_height = side(NV_ENC_CAPS_HEIGHT_MAX);
}

}  // namespace tether::nvenc
