// A hardware encoder's view of tether_encoder_config: what it accepts, and
// the values it uses where the host left the choice to the encoder.
#pragma once

#include <tether/plugin.h>

#include <cstdint>

namespace tether::hw {

// The part of `speed` (higher: faster, coarser) an encoder accepts, and what -1 means.
struct SpeedRange {
    int32_t low;
    int32_t high;
    int32_t fallback;
};

inline constexpr uint32_t max_fps = 240;
inline constexpr uint32_t max_bitrate_kbps = 1'000'000;
inline constexpr uint32_t default_fps = 30;

// Throws std::invalid_argument naming the bad field. `threads` is accepted
// and means nothing to a hardware encoder.
void validate(const tether_encoder_config& config, const SpeedRange& speeds, uint32_t max_width,
              uint32_t max_height);

// The configuration with fps, bitrate and speed resolved (validated first);
// threads is set to 0.
tether_encoder_config resolve(const tether_encoder_config& config, const SpeedRange& speeds, uint32_t max_width,
                              uint32_t max_height);

// About 0.08 bits per pixel per frame (H.264 needs more than VP9 for the same
// text), clamped to a range useful on real links.
uint32_t default_bitrate_kbps(uint32_t width, uint32_t height, uint32_t fps);

}  // namespace tether::hw
