// Tether's settings in NVENC's structures, checked against the Video Codec
// SDK's real headers: what a driver would be told, without a driver.
#include <nvenc_settings.h>

#include "hw_test_frames.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tether::nvenc {
namespace {

using test::hw_config;

// What a tuned session looks like, the preset's own configuration zeroed
// (the driver fills it in; tune() must set everything that matters here).
struct Tuned {
    explicit Tuned(Codec codec, const tether_encoder_config& wanted)
        : resolved(resolve(wanted)),
          params((tune(codec, resolved, encode_config),
                  initialize_params(codec, resolved, reserved_size({resolved.width, resolved.height}, {4096, 4096}),
                                    encode_config))) {}
    tether_encoder_config resolved;
    NV_ENC_CONFIG encode_config{};
    NV_ENC_INITIALIZE_PARAMS params;
};

TEST(NvencSettings, RateControlIsCbrInBitsPerSecondWithAOneFrameBuffer) {
    const Tuned session(Codec::h264, hw_config(1920, 1080, 60, 6000));
    const NV_ENC_RC_PARAMS& rc = session.encode_config.rcParams;
    EXPECT_EQ(rc.version, NV_ENC_RC_PARAMS_VER);
    EXPECT_EQ(rc.rateControlMode, NV_ENC_PARAMS_RC_CBR);
    EXPECT_EQ(rc.averageBitRate, 6'000'000u);
    EXPECT_EQ(rc.maxBitRate, 6'000'000u);
    EXPECT_EQ(rc.vbvBufferSize, 100'000u);  // 6 Mbit/s over 60 frames
    EXPECT_EQ(rc.vbvInitialDelay, 100'000u);
    EXPECT_EQ(rc.multiPass, NV_ENC_MULTI_PASS_DISABLED);
    EXPECT_EQ(rc.enableLookahead, 0u);
    EXPECT_EQ(rc.zeroReorderDelay, 1u);
}

TEST(NvencSettings, TheLargestBitrateFitsNvencsField) {
    NV_ENC_RC_PARAMS rc{};
    apply_rate(resolve(hw_config(640, 360, 30, hw::max_bitrate_kbps)), rc);
    EXPECT_EQ(rc.averageBitRate, 1'000'000'000u);
}

TEST(NvencSettings, GopIsInfiniteWithoutBFramesAndIdrsRepeatTheParameterSets) {
    for (const Codec codec : {Codec::h264, Codec::hevc}) {
        const Tuned session(codec, hw_config(1280, 720, 30, 3000));
        const NV_ENC_CONFIG& c = session.encode_config;
        EXPECT_EQ(c.version, NV_ENC_CONFIG_VER);
        EXPECT_EQ(c.gopLength, NVENC_INFINITE_GOPLENGTH) << codec_name(codec);
        EXPECT_EQ(c.frameIntervalP, 1) << codec_name(codec);
        if (codec == Codec::h264) {
            const NV_ENC_CONFIG_H264& h264 = c.encodeCodecConfig.h264Config;
            EXPECT_EQ(h264.idrPeriod, NVENC_INFINITE_GOPLENGTH);
            EXPECT_EQ(h264.repeatSPSPPS, 1u);
            EXPECT_EQ(h264.chromaFormatIDC, 1u);
            EXPECT_EQ(h264.h264VUIParameters.colourMatrix, 6u);  // BT.601, as our I420 is
            EXPECT_EQ(h264.h264VUIParameters.videoFullRangeFlag, 0u);
            EXPECT_TRUE(same_guid(c.profileGUID, NV_ENC_H264_PROFILE_HIGH_GUID));
        } else {
            const NV_ENC_CONFIG_HEVC& hevc = c.encodeCodecConfig.hevcConfig;
            EXPECT_EQ(hevc.idrPeriod, NVENC_INFINITE_GOPLENGTH);
            EXPECT_EQ(hevc.repeatSPSPPS, 1u);
            EXPECT_EQ(hevc.hevcVUIParameters.colourMatrix, 6u);
            EXPECT_TRUE(same_guid(c.profileGUID, NV_ENC_HEVC_PROFILE_MAIN_GUID));
        }
    }
}

TEST(NvencSettings, SessionIsUltraLowLatencyAtTheFrameRateAsAFraction) {
    const Tuned session(Codec::hevc, hw_config(1280, 720, 45, 3000));
    const NV_ENC_INITIALIZE_PARAMS& p = session.params;
    EXPECT_EQ(p.version, NV_ENC_INITIALIZE_PARAMS_VER);
    EXPECT_TRUE(same_guid(p.encodeGUID, NV_ENC_CODEC_HEVC_GUID));
    EXPECT_EQ(p.tuningInfo, NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY);
    EXPECT_EQ(p.frameRateNum, 45u);
    EXPECT_EQ(p.frameRateDen, 1u);
    EXPECT_EQ(p.encodeWidth, 1280u);
    EXPECT_EQ(p.encodeHeight, 720u);
    EXPECT_EQ(p.enablePTD, 1u);
    EXPECT_EQ(p.enableEncodeAsync, 0u);
    EXPECT_EQ(p.encodeConfig, &session.encode_config);
}

TEST(NvencSettings, SpeedPicksP4ToP1AndDefaultsToP1) {
    EXPECT_TRUE(same_guid(preset_guid(0), NV_ENC_PRESET_P4_GUID));
    EXPECT_TRUE(same_guid(preset_guid(1), NV_ENC_PRESET_P3_GUID));
    EXPECT_TRUE(same_guid(preset_guid(2), NV_ENC_PRESET_P2_GUID));
    EXPECT_TRUE(same_guid(preset_guid(3), NV_ENC_PRESET_P1_GUID));
    const Tuned fastest(Codec::h264, hw_config(640, 360, 30, 0));
    EXPECT_TRUE(same_guid(fastest.params.presetGUID, NV_ENC_PRESET_P1_GUID));
    EXPECT_THROW(resolve(hw_config(640, 360, 30, 0, 4)), std::invalid_argument);
}

TEST(NvencSettings, HostileConfigurationsAreRefusedByName) {
    for (const auto& [bad, field] : std::initializer_list<std::pair<tether_encoder_config, const char*>>{
             {hw_config(0, 360, 30, 0), "width"},
             {hw_config(640, 9000, 30, 0), "height"},
             {hw_config(640, 360, 1000, 0), "fps"},
             {hw_config(640, 360, 30, 2'000'000), "bitrate_kbps"},
             {hw_config(640, 360, 30, 0, -7), "speed"}}) {
        try {
            resolve(bad);
            ADD_FAILURE() << field << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
        }
    }
    tether_encoder_config short_struct = hw_config(640, 360, 30, 0);
    short_struct.struct_size = 8;
    EXPECT_THROW(resolve(short_struct), std::invalid_argument);
}

TEST(NvencSettings, TheSessionReservesRoomToGrowToADesktopWithinTheDevice) {
    EXPECT_EQ(reserved_size({1280, 720}, {4096, 4096}).width, 3840u);
    EXPECT_EQ(reserved_size({1280, 720}, {4096, 4096}).height, 2160u);
    EXPECT_EQ(reserved_size({1280, 720}, {2048, 2048}).width, 2048u);
    EXPECT_EQ(reserved_size({5120, 2880}, {8192, 8192}).width, 5120u);
}

TEST(NvencSettings, ABitrateChangeReconfiguresTheRateAloneWithoutAnIdr) {
    const Tuned session(Codec::h264, hw_config(1280, 720, 30, 3000));
    NV_ENC_CONFIG next_config{};
    const auto change =
        reconfigure_params(session.params, session.resolved, resolve(hw_config(1280, 720, 30, 1500)), next_config);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->version, NV_ENC_RECONFIGURE_PARAMS_VER);
    EXPECT_EQ(change->resetEncoder, 0u);
    EXPECT_EQ(change->forceIDR, 0u);
    const NV_ENC_INITIALIZE_PARAMS& p = change->reInitEncodeParams;
    EXPECT_EQ(p.encodeConfig, &next_config);
    EXPECT_EQ(next_config.rcParams.averageBitRate, 1'500'000u);
    EXPECT_EQ(next_config.rcParams.vbvBufferSize, 50'000u);
    // The rest is the running session's.
    EXPECT_EQ(p.encodeWidth, 1280u);
    EXPECT_EQ(p.frameRateNum, 30u);
    EXPECT_TRUE(same_guid(p.presetGUID, session.params.presetGUID));
    EXPECT_EQ(p.tuningInfo, NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY);
    EXPECT_EQ(p.maxEncodeWidth, session.params.maxEncodeWidth);
    EXPECT_EQ(next_config.gopLength, NVENC_INFINITE_GOPLENGTH);
    EXPECT_EQ(next_config.encodeCodecConfig.h264Config.repeatSPSPPS, 1u);
}

TEST(NvencSettings, AFrameRateChangeKeepsTheBitrateAndSizesTheBufferAnew) {
    const Tuned session(Codec::h264, hw_config(1280, 720, 30, 3000));
    NV_ENC_CONFIG next_config{};
    const auto change =
        reconfigure_params(session.params, session.resolved, resolve(hw_config(1280, 720, 60, 3000)), next_config);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->reInitEncodeParams.frameRateNum, 60u);
    EXPECT_EQ(next_config.rcParams.averageBitRate, 3'000'000u);
    EXPECT_EQ(next_config.rcParams.vbvBufferSize, 50'000u);
    EXPECT_EQ(change->forceIDR, 0u);
}

TEST(NvencSettings, ANewSizeWithinTheReservedOneResetsWithAnIdrAndALargerOneNeedsANewSession) {
    const Tuned session(Codec::h264, hw_config(1280, 720, 30, 3000));
    NV_ENC_CONFIG next_config{};
    const auto smaller =
        reconfigure_params(session.params, session.resolved, resolve(hw_config(800, 600, 30, 3000)), next_config);
    ASSERT_TRUE(smaller);
    EXPECT_EQ(smaller->resetEncoder, 1u);
    EXPECT_EQ(smaller->forceIDR, 1u);
    EXPECT_EQ(smaller->reInitEncodeParams.encodeWidth, 800u);
    EXPECT_EQ(smaller->reInitEncodeParams.darHeight, 600u);
    EXPECT_FALSE(reconfigure_params(session.params, session.resolved, resolve(hw_config(4096, 2160, 30, 3000)),
                                    next_config));
    EXPECT_FALSE(reconfigure_params(session.params, session.resolved, resolve(hw_config(1280, 720, 30, 3000, 0)),
                                    next_config))
        << "another preset";
}

TEST(NvencSettings, Av1IsTheSdk12CodecWhichTheseHeadersCannotConfigure) {
    const GUID av1 = codec_guid(Codec::av1);
    EXPECT_EQ(av1.Data1, 0x0a352289u);
    EXPECT_FALSE(same_guid(av1, NV_ENC_CODEC_H264_GUID));
    EXPECT_EQ(headers_configure_av1, NVENCAPI_MAJOR_VERSION >= 12);
}

}  // namespace
}  // namespace tether::nvenc
