// The sizes this machine's oneVPL implementation encodes a codec at (ABI
// 1.6 limits()), from its description, asked in the probe's process.
#pragma once

#include "vpl_settings.h"

#include <tether/plugin.h>

namespace tether::vpl {

// The implementation's system-memory encoder limits; 16x16 to
// max_dimension where its description gives none (a legacy runtime).
void implementation_limits(Codec codec, tether_encoder_limits& limits);

}  // namespace tether::vpl
