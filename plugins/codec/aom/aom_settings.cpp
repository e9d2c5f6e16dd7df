#include "aom_settings.h"

#include "realtime_config.h"

#include <aom/aomcx.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

namespace tether::aom {

void validate(const tether_encoder_config& config) {
    codec::validate_common(config, max_threads);
}

tether_encoder_config resolve(const tether_encoder_config& config) {
    validate(config);
    tether_encoder_config resolved = codec::resolve_common(config, codec::default_threads());
    resolved.speed = config.speed == -1 ? default_speed : std::clamp(config.speed, min_speed, max_speed);
    return resolved;
}

aom_codec_enc_cfg_t encoder_config(const tether_encoder_config& resolved) {
    aom_codec_enc_cfg_t cfg{};
    if (aom_codec_enc_config_default(aom_codec_av1_cx(), &cfg, AOM_USAGE_REALTIME) != AOM_CODEC_OK) {
        throw std::runtime_error("libaom has no realtime configuration for AV1");
    }
    cfg.g_usage = AOM_USAGE_REALTIME;
    codec::set_realtime_fields(cfg, resolved);
    cfg.g_profile = 0;  // main: 8-bit 4:2:0
    cfg.g_pass = AOM_RC_ONE_PASS;
    cfg.rc_end_usage = AOM_CBR;
    cfg.rc_resize_mode = 0;
    cfg.rc_superres_mode = AOM_SUPERRES_NONE;
    // Keyframes only on the first frame and on request. Realtime libaom makes
    // one every kf_max_dist frames whatever kf_mode says, so that is never reached.
    cfg.kf_mode = AOM_KF_DISABLED;
    cfg.kf_min_dist = 0;
    cfg.kf_max_dist = std::numeric_limits<int>::max();
    return cfg;
}

std::vector<Control> controls(const tether_encoder_config& resolved) {
    // One tile column per thread, as a power of two; libaom lowers it for narrow pictures.
    const int tile_columns_log2 = std::bit_width(resolved.threads) - 1;
    return {
        {AOME_SET_CPUUSED, static_cast<int>(resolved.speed), "cpu-used"},
        {AV1E_SET_TUNE_CONTENT, AOM_CONTENT_SCREEN, "tune-content"},
        // Text and flat areas: few colours a block, and blocks repeated
        // within a picture (intra block copy, which libaom uses on keyframes).
        {AV1E_SET_ENABLE_PALETTE, 1, "enable-palette"},
        {AV1E_SET_ENABLE_INTRABC, 1, "enable-intrabc"},
        // Cyclic refresh, as WebRTC's and RustDesk's realtime AV1 encoders use.
        {AV1E_SET_AQ_MODE, 3, "aq-mode"},
        {AV1E_SET_ROW_MT, 1, "row-mt"},
        {AOME_SET_MAX_INTRA_BITRATE_PCT, static_cast<int>(codec::max_keyframe_percent(resolved)), "max-intra-rate"},
        {AV1E_SET_TILE_COLUMNS, tile_columns_log2, "tile-columns"},
    };
}

void apply_controls(aom_codec_ctx_t& context, const tether_encoder_config& resolved) {
    for (const Control& control : controls(resolved)) {
        if (aom_codec_control(&context, control.id, control.value) != AOM_CODEC_OK) {
            throw std::runtime_error(std::string("libaom refused ") + control.name + ": " + error_text(context));
        }
    }
}

std::string error_text(aom_codec_ctx_t& context) {
    return codec::error_with_detail(aom_codec_error(&context), aom_codec_error_detail(&context));
}

}  // namespace tether::aom
