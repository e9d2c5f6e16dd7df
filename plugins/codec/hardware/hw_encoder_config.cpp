#include "hw_encoder_config.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tether::hw {
namespace {

void require_within(const char* field, int64_t value, int64_t low, int64_t high) {
    if (value < low || value > high)
        throw std::invalid_argument(std::string(field) + " must be between " + std::to_string(low) + " and " +
                                    std::to_string(high) + " (got " + std::to_string(value) + ")");
}

}  // namespace

void validate(const tether_encoder_config& config, const SpeedRange& speeds, uint32_t max_width,
              uint32_t max_height) {
    if (config.struct_size < TETHER_ENCODER_CONFIG_SIZE_1_0)
        throw std::invalid_argument("the encoder configuration is " + std::to_string(config.struct_size) +
                                    " bytes, shorter than ABI 1.0's");
    require_within("width", config.width, 1, max_width);
    require_within("height", config.height, 1, max_height);
    require_within("fps", config.fps, 0, max_fps);
    require_within("bitrate_kbps", config.bitrate_kbps, 0, max_bitrate_kbps);
    require_within("threads", config.threads, 0, 64);
    if (config.speed != -1) require_within("speed", config.speed, speeds.low, speeds.high);
}

tether_encoder_config resolve(const tether_encoder_config& config, const SpeedRange& speeds, uint32_t max_width,
                              uint32_t max_height) {
    validate(config, speeds, max_width, max_height);
    tether_encoder_config resolved = config;
    resolved.struct_size = sizeof(tether_encoder_config);
    if (resolved.fps == 0) resolved.fps = default_fps;
    if (resolved.bitrate_kbps == 0) resolved.bitrate_kbps = default_bitrate_kbps(config.width, config.height, resolved.fps);
    if (resolved.speed == -1) resolved.speed = speeds.fallback;
    resolved.threads = 0;
    return resolved;
}

uint32_t default_bitrate_kbps(uint32_t width, uint32_t height, uint32_t fps) {
    constexpr double bits_per_pixel = 0.08;
    constexpr double low_kbps = 200;
    constexpr double high_kbps = 80'000;
    const double kbps = static_cast<double>(width) * height * fps * bits_per_pixel / 1000.0;
    return static_cast<uint32_t>(std::lround(std::clamp(kbps, low_kbps, high_kbps)));
}

}  // namespace tether::hw
