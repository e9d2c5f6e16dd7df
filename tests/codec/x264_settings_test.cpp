// The libx264 settings (plugins/codec/x264/x264_settings.h) as the plugin
// opens its encoder with them, and libx264 itself taking them.
#include "x264_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tether::x264 {
namespace {

tether_encoder_config config(uint32_t bitrate_kbps, uint32_t fps, int32_t speed = -1, uint32_t threads = 0) {
    return {.struct_size = sizeof(tether_encoder_config),
            .width = 1920,
            .height = 1080,
            .fps = fps,
            .bitrate_kbps = bitrate_kbps,
            .threads = threads,
            .speed = speed};
}

TEST(X264Settings, SpeedPicksThePresetFastestHighestSuperfastByDefault) {
    EXPECT_EQ(preset_of(resolve(config(0, 0)).speed), "superfast");
    EXPECT_EQ(preset_of(9), "ultrafast");
    EXPECT_EQ(preset_of(5), "fast");
    EXPECT_EQ(preset_of(0), "placebo");
}

TEST(X264Settings, AConfiguredSpeedOutsideThePresetsIsBroughtInto0To9) {
    EXPECT_EQ(resolve(config(0, 0, 16)).speed, 9);
    EXPECT_EQ(resolve(config(0, 0, -12)).speed, 0);
}

TEST(X264Settings, ImpossibleConfigurationsAreRefusedWithTheReason) {
    EXPECT_THAT([] { resolve(config(0, 241)); },
                testing::ThrowsMessage<std::invalid_argument>(testing::HasSubstr("fps must be between 0 and 240")));
    tether_encoder_config odd = config(0, 30);
    odd.height = 1081;
    EXPECT_THAT([&] { resolve(odd); },
                testing::ThrowsMessage<std::invalid_argument>(testing::HasSubstr("height must be even for H.264")));
}

TEST(X264Settings, LowLatencyStreamAViewerCanJoinAtAnyKeyframe) {
    const x264_param_t param = parameters(resolve(config(0, 30, -1, 3)));
    EXPECT_EQ(param.i_width, 1920);
    EXPECT_EQ(param.i_height, 1080);
    EXPECT_EQ(param.i_csp, X264_CSP_I420);
    EXPECT_EQ(param.i_bframe, 0);
    EXPECT_EQ(param.rc.i_lookahead, 0);  // tune zerolatency
    EXPECT_EQ(param.i_sync_lookahead, 0);
    EXPECT_EQ(param.i_threads, 3);
    EXPECT_EQ(param.b_sliced_threads, 1);
    EXPECT_EQ(param.i_keyint_max, X264_KEYINT_MAX_INFINITE);
    EXPECT_EQ(param.i_scenecut_threshold, 0);
    EXPECT_EQ(param.b_repeat_headers, 1);
    EXPECT_EQ(param.b_annexb, 1);
}

TEST(X264Settings, AverageBitrateCappedByAVbvOf300Milliseconds) {
    const x264_param_t param = parameters(resolve(config(3000, 30)));
    EXPECT_EQ(param.rc.i_rc_method, X264_RC_ABR);
    EXPECT_EQ(param.rc.i_bitrate, 3000);
    EXPECT_EQ(param.rc.i_vbv_max_bitrate, 3000);
    EXPECT_EQ(param.rc.i_vbv_buffer_size, 900);  // 300 ms
}

TEST(X264Settings, ANewFrameRateKeepsTheBitsOfEachFrameAtBitrateOverFps) {
    x264_param_t param = parameters(resolve(config(3000, 30)));
    // Opened at 30 fps, now 60: x264 still counts 30 a second, so it is told half the bitrate.
    set_rate(param, resolve(config(3000, 60)), 30);
    EXPECT_EQ(param.rc.i_bitrate, 1500);
    EXPECT_EQ(param.rc.i_vbv_max_bitrate, 1500);
    EXPECT_EQ(param.rc.i_vbv_buffer_size, 450);
}

TEST(X264Settings, Libx264OpensWithThem) {
    x264_param_t param = parameters(resolve(config(0, 30, -1, 2)));
    param.i_log_level = X264_LOG_NONE;
    x264_t* encoder = x264_encoder_open(&param);
    ASSERT_NE(encoder, nullptr);
    x264_encoder_close(encoder);
}

}  // namespace
}  // namespace tether::x264
