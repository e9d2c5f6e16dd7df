#include "vpx_settings.h"

#include "realtime_config.h"

#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace tether::vpx {
namespace {

struct SpeedRange {
    int32_t low;
    int32_t high;
};

SpeedRange speed_range(Codec codec) {
    return codec == Codec::vp8 ? SpeedRange{-16, 16} : SpeedRange{-9, 9};
}

void check(vpx_codec_ctx_t& context, vpx_codec_err_t status, const char* setting) {
    if (status != VPX_CODEC_OK) {
        throw std::runtime_error(std::string("libvpx refused ") + setting + ": " + error_text(context));
    }
}

// One tile column or token partition per thread, as a power of two.
int log2_of_threads(uint32_t threads) {
    return std::bit_width(threads) - 1;
}

}  // namespace

std::string_view codec_name(Codec codec) {
    return codec == Codec::vp8 ? "vp8" : "vp9";
}

std::optional<Codec> parse_codec(std::string_view name) {
    if (name == "vp8") return Codec::vp8;
    if (name == "vp9") return Codec::vp9;
    return std::nullopt;
}

vpx_codec_iface_t* encoder_interface(Codec codec) {
    return codec == Codec::vp8 ? vpx_codec_vp8_cx() : vpx_codec_vp9_cx();
}

vpx_codec_iface_t* decoder_interface(Codec codec) {
    return codec == Codec::vp8 ? vpx_codec_vp8_dx() : vpx_codec_vp9_dx();
}

void validate(Codec codec, const tether_encoder_config& config) {
    codec::validate_common(config, max_threads);
    if (config.speed != -1) {
        const SpeedRange speeds = speed_range(codec);
        codec::require_range("speed", config.speed, speeds.low, speeds.high);
    }
}

tether_encoder_config resolve(Codec codec, const tether_encoder_config& config) {
    validate(codec, config);
    tether_encoder_config resolved = codec::resolve_common(config, default_threads(codec));
    if (resolved.speed == -1) resolved.speed = default_speed(codec);
    return resolved;
}

uint32_t default_threads(Codec codec) {
    // libvpx's VP8 threads spin-wait on each other: on a busy machine two of
    // them cost several times the CPU of one, so VP8 encodes on one thread.
    return codec == Codec::vp8 ? 1 : codec::default_threads();
}

int32_t default_speed(Codec codec) {
    // The fastest settings that still look clean on text. VP8's negative
    // values fix the speed level; positive ones let libvpx vary it with the
    // measured encode time, which makes CPU use unpredictable. VP9 speed 9
    // against 8 on the 1080p demo (2 cores): a quarter less CPU and latency
    // for about a tenth more bytes (docs/benchmarks.md).
    return codec == Codec::vp8 ? -12 : 9;
}

vpx_codec_enc_cfg_t encoder_config(Codec codec, const tether_encoder_config& resolved) {
    vpx_codec_enc_cfg_t cfg{};
    if (vpx_codec_enc_config_default(encoder_interface(codec), &cfg, 0) != VPX_CODEC_OK) {
        throw std::runtime_error("libvpx has no default configuration for " + std::string(codec_name(codec)));
    }
    codec::set_realtime_fields(cfg, resolved);
    cfg.g_pass = VPX_RC_ONE_PASS;
    cfg.rc_end_usage = VPX_CBR;
    cfg.rc_resize_allowed = 0;
    if (codec == Codec::vp8) {
        cfg.rc_max_quantizer = 56;
        cfg.rc_undershoot_pct = 100;
        cfg.rc_overshoot_pct = 15;
    }
    cfg.kf_mode = VPX_KF_DISABLED;  // keyframes only on the first frame and on request
    return cfg;
}

void apply_rate_controls(vpx_codec_ctx_t& context, const tether_encoder_config& resolved) {
    check(context, vpx_codec_control(&context, VP8E_SET_MAX_INTRA_BITRATE_PCT, codec::max_keyframe_percent(resolved)),
          "max-intra-rate");
}

void apply_controls(vpx_codec_ctx_t& context, Codec codec, const tether_encoder_config& resolved) {
    const int threads_log2 = log2_of_threads(resolved.threads);
    check(context, vpx_codec_control(&context, VP8E_SET_CPUUSED, static_cast<int>(resolved.speed)), "cpu-used");
    apply_rate_controls(context, resolved);
    if (codec == Codec::vp8) {
        check(context, vpx_codec_control(&context, VP8E_SET_SCREEN_CONTENT_MODE, 1u), "screen-content-mode");
        // Independent token partitions let the decoder use its threads too.
        const int partitions_log2 = std::min(threads_log2, static_cast<int>(VP8_EIGHT_TOKENPARTITION));
        check(context, vpx_codec_control(&context, VP8E_SET_TOKEN_PARTITIONS, partitions_log2), "token-partitions");
        return;
    }
    check(context, vpx_codec_control(&context, VP9E_SET_TUNE_CONTENT, static_cast<int>(VP9E_CONTENT_SCREEN)),
          "tune-content");
    check(context, vpx_codec_control(&context, VP9E_SET_ROW_MT, 1u), "row-mt");
    // libvpx lowers the tile count itself where the picture is too narrow.
    check(context, vpx_codec_control(&context, VP9E_SET_TILE_COLUMNS, threads_log2), "tile-columns");
    // No cyclic refresh: a desktop sends a picture only when something changed, and
    // recoding a tenth of the unchanged blocks with each would cost more than the
    // change (typing in an xterm, `tether bench desktop`: 3.1 KB/s with it, 1.7 without).
    check(context, vpx_codec_control(&context, VP9E_SET_AQ_MODE, 0u), "aq-mode");
}

std::string error_text(vpx_codec_ctx_t& context) {
    return codec::error_with_detail(vpx_codec_error(&context), vpx_codec_error_detail(&context));
}

}  // namespace tether::vpx
