// The libaom settings (plugins/codec/aom/aom_settings.h) as the plugin opens
// its encoder with them, and libaom itself taking them.
#include "aom_settings.h"

#include <aom/aomcx.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace tether::aom {
namespace {

tether_encoder_config config(uint32_t width, uint32_t height, int32_t speed = -1, uint32_t threads = 0) {
    return {.struct_size = sizeof(tether_encoder_config),
            .width = width,
            .height = height,
            .fps = 0,
            .bitrate_kbps = 0,
            .threads = threads,
            .speed = speed};
}

std::map<int, int> control_values(const tether_encoder_config& resolved) {
    std::map<int, int> values;
    for (const Control& control : controls(resolved)) values[control.id] = control.value;
    return values;
}

TEST(AomSettings, SpeedIs9AtEverySizeUnlessConfigured) {
    EXPECT_EQ(resolve(config(1920, 1080)).speed, 9);
    EXPECT_EQ(resolve(config(3840, 2160)).speed, 9);
    EXPECT_EQ(resolve(config(1280, 720)).speed, 9);
    EXPECT_EQ(resolve(config(1920, 1080, 8)).speed, 8);
}

TEST(AomSettings, AConfiguredSpeedOutsideTheRealtimeOnesIsBroughtInto7To10) {
    EXPECT_EQ(resolve(config(640, 360, 3)).speed, 7);
    EXPECT_EQ(resolve(config(640, 360, 16)).speed, 10);
    EXPECT_EQ(resolve(config(640, 360, -12)).speed, 7);
}

TEST(AomSettings, EncoderDecidesMeansTheCommonDefaults) {
    const tether_encoder_config resolved = resolve(config(1280, 720));
    EXPECT_EQ(resolved.fps, codec::default_fps);
    EXPECT_EQ(resolved.bitrate_kbps, codec::default_bitrate_kbps(1280, 720, codec::default_fps));
    EXPECT_EQ(resolved.threads, codec::default_threads());
}

TEST(AomSettings, ImpossibleConfigurationsAreRefusedWithTheReason) {
    EXPECT_THAT([] { resolve(config(0, 360)); },
                testing::ThrowsMessage<std::invalid_argument>(testing::HasSubstr("width must be between 1 and 16384")));
    EXPECT_THAT([] { resolve(config(640, 360, -1, 65)); },
                testing::ThrowsMessage<std::invalid_argument>(testing::HasSubstr("threads must be between 0 and 64")));
}

TEST(AomSettings, RealtimeOnePassCbrWithoutLagAndKeyframesOnlyOnRequest) {
    tether_encoder_config asked = config(1920, 1080, -1, 3);
    asked.bitrate_kbps = 4000;
    const aom_codec_enc_cfg_t cfg = encoder_config(resolve(asked));
    EXPECT_EQ(cfg.g_usage, static_cast<unsigned>(AOM_USAGE_REALTIME));
    EXPECT_EQ(cfg.g_w, 1920u);
    EXPECT_EQ(cfg.g_h, 1080u);
    EXPECT_EQ(cfg.g_threads, 3u);
    EXPECT_EQ(cfg.g_pass, AOM_RC_ONE_PASS);
    EXPECT_EQ(cfg.g_lag_in_frames, 0u);
    EXPECT_EQ(cfg.g_error_resilient, 0u);
    EXPECT_EQ(cfg.rc_end_usage, AOM_CBR);
    EXPECT_EQ(cfg.rc_target_bitrate, 4000u);
    EXPECT_EQ(cfg.rc_dropframe_thresh, 0u);
    EXPECT_EQ(cfg.kf_mode, AOM_KF_DISABLED);
    // Realtime libaom forces a keyframe every kf_max_dist frames even so: a year of frames at 60 fps.
    EXPECT_GT(cfg.kf_max_dist, 60u * 3600 * 24 * 365);
}

TEST(AomSettings, ScreenContentToolsAndThreadsAsTiles) {
    const tether_encoder_config resolved = resolve(config(1920, 1080, -1, 4));
    const std::map<int, int> values = control_values(resolved);
    EXPECT_EQ(values.at(AOME_SET_CPUUSED), 9);
    EXPECT_EQ(values.at(AV1E_SET_TUNE_CONTENT), AOM_CONTENT_SCREEN);
    EXPECT_EQ(values.at(AV1E_SET_ENABLE_PALETTE), 1);
    EXPECT_EQ(values.at(AV1E_SET_ENABLE_INTRABC), 1);
    EXPECT_EQ(values.at(AV1E_SET_AQ_MODE), 3);
    EXPECT_EQ(values.at(AV1E_SET_ROW_MT), 1);
    EXPECT_EQ(values.at(AV1E_SET_TILE_COLUMNS), 2);  // log2 of 4 threads
    EXPECT_EQ(control_values(resolve(config(1920, 1080, -1, 3))).at(AV1E_SET_TILE_COLUMNS), 1);
    EXPECT_EQ(control_values(resolve(config(1920, 1080, -1, 1))).at(AV1E_SET_TILE_COLUMNS), 0);
}

TEST(AomSettings, LibaomTakesTheConfigurationAndEveryControl) {
    const tether_encoder_config resolved = resolve(config(1920, 1080, -1, 2));
    const aom_codec_enc_cfg_t cfg = encoder_config(resolved);
    aom_codec_ctx_t context{};
    ASSERT_EQ(aom_codec_enc_init(&context, aom_codec_av1_cx(), &cfg, 0), AOM_CODEC_OK) << error_text(context);
    EXPECT_NO_THROW(apply_controls(context, resolved));
    aom_codec_destroy(&context);
}

}  // namespace
}  // namespace tether::aom
