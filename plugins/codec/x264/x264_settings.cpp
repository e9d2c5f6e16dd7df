#include "x264_settings.h"

#include "realtime_config.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace tether::x264 {

std::string_view preset_of(int32_t speed) {
    return x264_preset_names[max_speed - std::clamp(speed, min_speed, max_speed)];
}

void validate(const tether_encoder_config& config) {
    codec::validate_common(config, max_threads);
    // 4:2:0 H.264 crops in steps of two pixels: an odd size cannot be said.
    for (const auto& [field, value] : {std::pair{"width", config.width}, std::pair{"height", config.height}}) {
        if (value % 2 != 0) {
            throw std::invalid_argument(std::string(field) + " must be even for H.264 (got " + std::to_string(value) +
                                        ")");
        }
    }
}

tether_encoder_config resolve(const tether_encoder_config& config) {
    validate(config);
    tether_encoder_config resolved = codec::resolve_common(config, codec::default_threads());
    resolved.speed = config.speed == -1 ? default_speed : std::clamp(config.speed, min_speed, max_speed);
    return resolved;
}

x264_param_t parameters(const tether_encoder_config& resolved) {
    x264_param_t param;
    const std::string preset(preset_of(resolved.speed));
    if (x264_param_default_preset(&param, preset.c_str(), "zerolatency") < 0) {
        throw std::runtime_error("libx264 has no preset " + preset + " with tune zerolatency");
    }
    param.i_width = static_cast<int>(resolved.width);
    param.i_height = static_cast<int>(resolved.height);
    param.i_csp = X264_CSP_I420;
    param.i_fps_num = resolved.fps;
    param.i_fps_den = 1;
    param.i_timebase_num = 1;
    param.i_timebase_den = resolved.fps;
    param.b_vfr_input = 0;  // one frame interval a picture: the rate control budgets per frame
    param.i_threads = static_cast<int>(resolved.threads);
    param.b_sliced_threads = 1;  // threads share a picture instead of holding pictures back
    param.i_bframe = 0;
    param.i_keyint_max = X264_KEYINT_MAX_INFINITE;  // keyframes only on the first picture and on request
    param.i_scenecut_threshold = 0;                 // nor on a change of scene
    param.b_intra_refresh = 0;
    param.b_repeat_headers = 1;  // SPS and PPS with each keyframe: a viewer can join at any of them
    param.b_annexb = 1;          // start codes, as a raw .h264 stream has them
    param.rc.i_rc_method = X264_RC_ABR;
    set_rate(param, resolved, resolved.fps);
    if (x264_param_apply_profile(&param, "high") < 0) {
        throw std::runtime_error("libx264 cannot apply the high profile");
    }
    return param;
}

void set_rate(x264_param_t& param, const tether_encoder_config& resolved, uint32_t opened_fps) {
    const double scaled = static_cast<double>(resolved.bitrate_kbps) * opened_fps / resolved.fps;
    const int kbps = static_cast<int>(std::max(1L, std::lround(scaled)));
    param.rc.i_bitrate = kbps;
    param.rc.i_vbv_max_bitrate = kbps;
    // What a keyframe may take (realtime_config.h); the pictures after one pay it back.
    param.rc.i_vbv_buffer_size = std::max(1, kbps * static_cast<int>(codec::most_keyframe_ms) / 1000);
}

}  // namespace tether::x264
