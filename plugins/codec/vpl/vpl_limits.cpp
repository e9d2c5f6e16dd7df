#include "vpl_limits.h"

#include "vpl_runtime.h"

namespace tether::vpl {

void implementation_limits(Codec codec, tether_encoder_limits& limits) {
    const Implementations implementations(codec);
    implementations.require_one();
    if (implementations.describe_limits(limits)) return;
    limits.min_width = 16;
    limits.min_height = 16;
    limits.max_width = max_dimension;
    limits.max_height = max_dimension;
}

}  // namespace tether::vpl
