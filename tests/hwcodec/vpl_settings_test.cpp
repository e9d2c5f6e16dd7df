// Tether's settings in oneVPL's mfxVideoParam, checked against the real
// headers: what a runtime would be told, without a runtime or a GPU.
#include <vpl_settings.h>

#include "hw_test_frames.h"

#include <gtest/gtest.h>

namespace tether::vpl {
namespace {

using test::hw_config;

template <typename T>
const T* attached(const EncodeParams& params, mfxU32 id) {
    for (mfxU16 i = 0; i < params.video.NumExtParam; ++i)
        if (params.video.ExtParam[i]->BufferId == id) return reinterpret_cast<const T*>(params.video.ExtParam[i]);
    return nullptr;
}

TEST(VplSettings, RateControlIsCbrInKbpsWithAOneFrameBuffer) {
    EncodeParams params;
    fill_encode_params(Codec::h264, resolve(hw_config(1920, 1080, 60, 6000)), true, params);
    const mfxInfoMFX& mfx = params.video.mfx;
    EXPECT_EQ(mfx.RateControlMethod, MFX_RATECONTROL_CBR);
    EXPECT_EQ(mfx.BRCParamMultiplier, 1);
    EXPECT_EQ(mfx.TargetKbps, 6000);
    EXPECT_EQ(mfx.MaxKbps, 6000);
    EXPECT_EQ(mfx.BufferSizeInKB, 13);  // 6000 kbit/s / 8 / 60 = 12.5 KB a frame, rounded up
    EXPECT_EQ(mfx.InitialDelayInKB, 13);
}

TEST(VplSettings, LargeBitratesUseTheMultiplier) {
    mfxInfoMFX mfx{};
    apply_rate(resolve(hw_config(3840, 2160, 30, 100'000)), mfx);
    EXPECT_EQ(mfx.BRCParamMultiplier, 2);
    EXPECT_EQ(mfx.TargetKbps, 50'000);
    EXPECT_EQ(uint32_t{mfx.TargetKbps} * mfx.BRCParamMultiplier, 100'000u);
    apply_rate(resolve(hw_config(3840, 2160, 30, hw::max_bitrate_kbps)), mfx);
    EXPECT_EQ(mfx.BRCParamMultiplier, 16);
    EXPECT_GE(uint32_t{mfx.TargetKbps} * mfx.BRCParamMultiplier, hw::max_bitrate_kbps);
    EXPECT_LT(uint32_t{mfx.TargetKbps} * mfx.BRCParamMultiplier, hw::max_bitrate_kbps + 16);
}

TEST(VplSettings, LowLatencyNoBFramesTheLongestGopAndIdrs) {
    for (const Codec codec : {Codec::h264, Codec::hevc, Codec::av1}) {
        EncodeParams params;
        fill_encode_params(codec, resolve(hw_config(1280, 720, 30, 3000)), true, params);
        const mfxVideoParam& v = params.video;
        EXPECT_EQ(v.AsyncDepth, 1) << codec_name(codec);
        EXPECT_EQ(v.IOPattern, MFX_IOPATTERN_IN_SYSTEM_MEMORY);
        EXPECT_EQ(v.mfx.CodecId, codec_id(codec));
        EXPECT_EQ(v.mfx.GopRefDist, 1);
        EXPECT_EQ(v.mfx.GopPicSize, 65535);
        EXPECT_EQ(v.mfx.IdrInterval, codec == Codec::hevc ? 1 : 0) << "every I-frame an IDR";
        EXPECT_EQ(v.mfx.LowPower, MFX_CODINGOPTION_ON);
        EXPECT_EQ(v.mfx.FrameInfo.FrameRateExtN, 30u);
        EXPECT_EQ(v.mfx.FrameInfo.FrameRateExtD, 1u);
        EXPECT_EQ(v.mfx.FrameInfo.FourCC, MFX_FOURCC_NV12);
        const auto* coding3 = attached<mfxExtCodingOption3>(params, MFX_EXTBUFF_CODING_OPTION3);
        ASSERT_NE(coding3, nullptr);
        EXPECT_EQ(coding3->LowDelayBRC, MFX_CODINGOPTION_ON);
        const auto* signal = attached<mfxExtVideoSignalInfo>(params, MFX_EXTBUFF_VIDEO_SIGNAL_INFO);
        ASSERT_NE(signal, nullptr);
        EXPECT_EQ(signal->MatrixCoefficients, 6);  // BT.601, as libyuv converts
        EXPECT_EQ(signal->VideoFullRange, 0);
        const auto* coding = attached<mfxExtCodingOption>(params, MFX_EXTBUFF_CODING_OPTION);
        if (codec == Codec::av1) {
            EXPECT_EQ(coding, nullptr);
        } else {
            ASSERT_NE(coding, nullptr);
            EXPECT_EQ(coding->MaxDecFrameBuffering, 1);
        }
    }
}

TEST(VplSettings, SurfacesAreAlignedAndCroppedToThePicture) {
    EncodeParams params;
    fill_encode_params(Codec::hevc, resolve(hw_config(1366, 768, 30, 0)), false, params);
    const mfxFrameInfo& info = params.video.mfx.FrameInfo;
    EXPECT_EQ(info.Width, 1376);
    EXPECT_EQ(info.Height, 768);
    EXPECT_EQ(info.CropW, 1366);
    EXPECT_EQ(info.CropH, 768);
    EXPECT_EQ(aligned(Codec::h264, 1366), 1376u);
    EXPECT_EQ(aligned(Codec::h264, 1080), 1088u);
    EXPECT_EQ(params.video.mfx.LowPower, MFX_CODINGOPTION_UNKNOWN);
}

TEST(VplSettings, SpeedPicksTheTargetUsageAndDefaultsToBestSpeed) {
    EXPECT_EQ(target_usage(0), MFX_TARGETUSAGE_BEST_QUALITY);
    EXPECT_EQ(target_usage(3), MFX_TARGETUSAGE_BALANCED);
    EXPECT_EQ(target_usage(6), MFX_TARGETUSAGE_BEST_SPEED);
    EXPECT_EQ(resolve(hw_config(640, 360, 30, 0)).speed, 6);
    EXPECT_THROW(resolve(hw_config(640, 360, 30, 0, 7)), std::invalid_argument);
}

TEST(VplSettings, ABitrateChangeResetsTheRateAloneWithoutANewSequence) {
    EncodeParams running;
    const tether_encoder_config current = resolve(hw_config(1280, 720, 30, 3000));
    fill_encode_params(Codec::h264, current, true, running);
    EncodeParams reset;
    ASSERT_TRUE(fill_reset_params(Codec::h264, running.video, current, resolve(hw_config(1280, 720, 30, 1500)), reset));
    EXPECT_EQ(reset.video.mfx.TargetKbps, 1500);
    EXPECT_EQ(reset.video.mfx.BufferSizeInKB, 7);
    EXPECT_EQ(reset.video.mfx.GopPicSize, running.video.mfx.GopPicSize);
    EXPECT_EQ(reset.video.mfx.TargetUsage, running.video.mfx.TargetUsage);
    EXPECT_EQ(reset.video.mfx.LowPower, running.video.mfx.LowPower);
    EXPECT_EQ(reset.video.mfx.FrameInfo.CropW, 1280);
    const auto* option = attached<mfxExtEncoderResetOption>(reset, MFX_EXTBUFF_ENCODER_RESET_OPTION);
    ASSERT_NE(option, nullptr);
    EXPECT_EQ(option->StartNewSequence, MFX_CODINGOPTION_OFF);
}

TEST(VplSettings, ASmallerSizeStartsANewSequenceAndALargerOneNeedsANewSession) {
    EncodeParams running;
    const tether_encoder_config current = resolve(hw_config(1280, 720, 30, 3000));
    fill_encode_params(Codec::hevc, current, false, running);
    EncodeParams smaller;
    ASSERT_TRUE(fill_reset_params(Codec::hevc, running.video, current, resolve(hw_config(800, 600, 30, 3000)), smaller));
    EXPECT_EQ(smaller.video.mfx.FrameInfo.CropW, 800);
    EXPECT_EQ(smaller.video.mfx.FrameInfo.Width, 800);
    EXPECT_EQ(attached<mfxExtEncoderResetOption>(smaller, MFX_EXTBUFF_ENCODER_RESET_OPTION)->StartNewSequence,
              MFX_CODINGOPTION_ON);
    EncodeParams larger;
    EXPECT_FALSE(fill_reset_params(Codec::hevc, running.video, current, resolve(hw_config(1920, 1080, 30, 3000)), larger));
    EXPECT_FALSE(fill_reset_params(Codec::hevc, running.video, current, resolve(hw_config(1280, 720, 30, 3000, 0)), larger))
        << "another TargetUsage";
}

}  // namespace
}  // namespace tether::vpl
