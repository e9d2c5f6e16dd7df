#include "picture_scaler.h"

#include <stdexcept>

namespace tether {

bool can_scale_pictures() { return false; }

VideoFrame scaled(const VideoFrame&, uint32_t, uint32_t) {
    throw std::logic_error("this build cannot scale pictures (built with -DTETHER_PICTURE_SCALING=OFF)");
}

}  // namespace tether
