// The libx264 settings Tether uses for remote-desktop video: tune
// zerolatency, no B-frames, average bitrate capped by a VBV of about one
// frame, headers with every keyframe, keyframes only on request, Annex B.
// Kept apart from the encoder so the mapping can be tested on its own.
#pragma once

#include "config_rules.h"

#include <tether/plugin.h>

#include <cstdint>
#include <string_view>

#include <x264.h>

namespace tether::x264 {

inline constexpr uint32_t max_threads = 64;
// Speed picks x264's preset, fastest highest: 9 ultrafast, 8 superfast (the
// default), ... 0 placebo. A configured speed outside 0..9 is brought into
// range (and logged), not refused.
inline constexpr int32_t min_speed = 0;
inline constexpr int32_t max_speed = 9;
inline constexpr int32_t default_speed = 8;

std::string_view preset_of(int32_t speed);

// Throws std::invalid_argument naming the bad field; width and height must be even.
void validate(const tether_encoder_config& config);

// Validates, then replaces every "encoder decides" value (0 or -1) with the
// one used and brings the speed into [min_speed, max_speed].
tether_encoder_config resolve(const tether_encoder_config& config);

// The parameters to open an encoder with, for a resolved configuration.
x264_param_t parameters(const tether_encoder_config& resolved);

// The rate control of `resolved` for an encoder opened at `opened_fps`. x264
// keeps the frame rate it opened with and budgets each frame the bitrate
// over it; a new frame rate is given as a bitrate scaled by opened_fps / fps,
// which gives each frame the bitrate over the new rate.
void set_rate(x264_param_t& param, const tether_encoder_config& resolved, uint32_t opened_fps);

}  // namespace tether::x264
