// What every codec plugin's encoder takes alike in a tether_encoder_config:
// the limits, the defaults for "encoder decides" (0), how a configuration is
// described in the log, and what a reconfigure changes.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::codec {

inline constexpr uint32_t max_dimension = 16384;
inline constexpr uint32_t max_fps = 240;
inline constexpr uint32_t max_bitrate_kbps = 1'000'000;
inline constexpr uint32_t default_fps = 30;

// Throws std::invalid_argument: "<field> must be between <low> and <high> (got <value>)".
void require_range(const char* field, int64_t value, int64_t low, int64_t high);

// Checks width, height, fps, bitrate and threads (at most `max_threads`).
void validate_common(const tether_encoder_config& config, uint32_t max_threads);

// The configuration with fps, bitrate and threads of 0 replaced by the
// values used; speed is left to the codec. Validate first.
tether_encoder_config resolve_common(const tether_encoder_config& config, uint32_t threads_by_default);

// About 0.06 bits per pixel per frame, clamped to a range useful on real links.
uint32_t default_bitrate_kbps(uint32_t width, uint32_t height, uint32_t fps);

// min(cores, 4): more threads than that buy a desktop stream little latency.
uint32_t default_threads();

// Logs "<codec> encoder 640x360 at 30 fps, 1000 kbps, 2 threads, speed 9".
void log_started(const char* plugin, std::string_view codec, const tether_encoder_config& used);

// Warns that the speed asked for (not -1) was brought into [low, high] as
// `used`; says nothing when it was in range.
void log_speed_clamped(const char* plugin, std::string_view codec, int32_t asked, int32_t used, int32_t low,
                       int32_t high);

// A library's error message, with its detail in brackets when there is one.
std::string error_with_detail(const char* error, const char* detail);

// What a reconfigure asks of an encoder, both configurations resolved.
struct ConfigChange {
    bool rate = false;   // bitrate or frame rate
    bool size = false;   // width or height
    bool other = false;  // threads or speed: the libraries fix them when they open
};
ConfigChange compare(const tether_encoder_config& now, const tether_encoder_config& next);

}  // namespace tether::codec
