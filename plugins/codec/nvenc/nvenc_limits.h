// The sizes this machine's GPU encodes a codec at (ABI 1.6 limits()),
// asked in the probe's process after the probe said yes.
#pragma once

#include "nvenc_settings.h"

#include <tether/plugin.h>

namespace tether::nvenc {

// NV_ENC_CAPS_WIDTH_MIN/MAX and HEIGHT_MIN/MAX of the first CUDA device.
void device_limits(Codec codec, tether_encoder_limits& limits);

}  // namespace tether::nvenc
