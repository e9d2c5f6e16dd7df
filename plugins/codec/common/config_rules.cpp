#include "config_rules.h"

#include <tether/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace tether::codec {

void require_range(const char* field, int64_t value, int64_t low, int64_t high) {
    if (value < low || value > high) {
        throw std::invalid_argument(std::string(field) + " must be between " + std::to_string(low) + " and " +
                                    std::to_string(high) + " (got " + std::to_string(value) + ")");
    }
}

void validate_common(const tether_encoder_config& config, uint32_t max_threads) {
    require_range("width", config.width, 1, max_dimension);
    require_range("height", config.height, 1, max_dimension);
    require_range("fps", config.fps, 0, max_fps);
    require_range("bitrate_kbps", config.bitrate_kbps, 0, max_bitrate_kbps);
    require_range("threads", config.threads, 0, max_threads);
}

tether_encoder_config resolve_common(const tether_encoder_config& config, uint32_t threads_by_default) {
    tether_encoder_config resolved = config;
    resolved.struct_size = sizeof(tether_encoder_config);
    if (resolved.fps == 0) resolved.fps = default_fps;
    if (resolved.bitrate_kbps == 0)
        resolved.bitrate_kbps = default_bitrate_kbps(config.width, config.height, resolved.fps);
    if (resolved.threads == 0) resolved.threads = threads_by_default;
    return resolved;
}

uint32_t default_bitrate_kbps(uint32_t width, uint32_t height, uint32_t fps) {
    constexpr double bits_per_pixel = 0.06;
    constexpr double low_kbps = 100;
    constexpr double high_kbps = 50'000;
    const double kbps = static_cast<double>(width) * height * fps * bits_per_pixel / 1000.0;
    return static_cast<uint32_t>(std::lround(std::clamp(kbps, low_kbps, high_kbps)));
}

uint32_t default_threads() {
    const uint32_t cores = std::max(1u, std::thread::hardware_concurrency());
    return std::min(cores, 4u);
}

void log_started(const char* plugin, std::string_view codec, const tether_encoder_config& used) {
    tether::log(TETHER_LOG_INFO, plugin,
                std::string(codec) + " encoder " + std::to_string(used.width) + "x" + std::to_string(used.height) +
                    " at " + std::to_string(used.fps) + " fps, " + std::to_string(used.bitrate_kbps) + " kbps, " +
                    std::to_string(used.threads) + " threads, speed " + std::to_string(used.speed));
}

void log_speed_clamped(const char* plugin, std::string_view codec, int32_t asked, int32_t used, int32_t low,
                       int32_t high) {
    if (asked == -1 || asked == used) return;
    tether::log(TETHER_LOG_WARN, plugin,
                "speed " + std::to_string(asked) + " is outside " + std::string(codec) + "'s " + std::to_string(low) +
                    " to " + std::to_string(high) + "; using " + std::to_string(used));
}

std::string error_with_detail(const char* error, const char* detail) {
    std::string text = error != nullptr ? error : "unknown error";
    if (detail != nullptr) text += std::string(" (") + detail + ")";
    return text;
}

ConfigChange compare(const tether_encoder_config& now, const tether_encoder_config& next) {
    return {
        .rate = now.bitrate_kbps != next.bitrate_kbps || now.fps != next.fps,
        .size = now.width != next.width || now.height != next.height,
        .other = now.threads != next.threads || now.speed != next.speed,
    };
}

}  // namespace tether::codec
