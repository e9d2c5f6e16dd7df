#include "vpl_settings.h"

#include <algorithm>
#include <limits>

namespace tether::vpl {
namespace {

constexpr uint32_t max_field = std::numeric_limits<mfxU16>::max();
constexpr mfxU16 longest_gop = std::numeric_limits<mfxU16>::max();
constexpr mfxU16 bt601 = 6;  // ITU-T H.264/H.265 Annex E: SMPTE 170M
constexpr mfxU16 video_format_unspecified = 5;

uint32_t ceil_div(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

template <typename T>
void header(T& buffer, mfxU32 id) {
    buffer.Header.BufferId = id;
    buffer.Header.BufferSz = sizeof(T);
}

void fill_frame_info(Codec codec, uint32_t width, uint32_t height, mfxFrameInfo& info) {
    info.FourCC = MFX_FOURCC_NV12;
    info.ChromaFormat = MFX_CHROMAFORMAT_YUV420;
    info.PicStruct = MFX_PICSTRUCT_PROGRESSIVE;
    info.BitDepthLuma = 8;
    info.BitDepthChroma = 8;
    info.Width = static_cast<mfxU16>(aligned(codec, width));
    info.Height = static_cast<mfxU16>(aligned(codec, height));
    info.CropX = 0;
    info.CropY = 0;
    info.CropW = static_cast<mfxU16>(width);
    info.CropH = static_cast<mfxU16>(height);
}

void attach(EncodeParams& out, mfxExtBuffer& buffer) {
    out.attached[out.video.NumExtParam++] = &buffer;
    out.video.ExtParam = out.attached.data();
}

}  // namespace

mfxU32 codec_id(Codec codec) {
    switch (codec) {
    case Codec::h264: return MFX_CODEC_AVC;
    case Codec::hevc: return MFX_CODEC_HEVC;
    case Codec::av1: return MFX_CODEC_AV1;
    }
    return 0;
}

mfxU16 target_usage(int32_t speed) {
    return static_cast<mfxU16>(MFX_TARGETUSAGE_1 + std::clamp(speed, speeds.low, speeds.high));
}

tether_encoder_config resolve(const tether_encoder_config& config) {
    return hw::resolve(config, speeds, max_dimension, max_dimension);
}

uint32_t aligned(Codec codec, uint32_t side) {
    const uint32_t unit = codec == Codec::h264 ? 16 : 32;
    return ceil_div(side, unit) * unit;
}

void apply_rate(const tether_encoder_config& resolved, mfxInfoMFX& mfx) {
    const uint32_t kbps = resolved.bitrate_kbps;
    // kbps * 1000 / 8 bytes a second, a frame's share of it, in 1000-byte units.
    const uint32_t frame_kb = std::max(1u, ceil_div(kbps, 8 * resolved.fps));
    const uint32_t multiplier = std::max(1u, ceil_div(std::max(kbps, frame_kb), max_field));
    mfx.RateControlMethod = MFX_RATECONTROL_CBR;
    mfx.BRCParamMultiplier = static_cast<mfxU16>(multiplier);
    mfx.TargetKbps = static_cast<mfxU16>(ceil_div(kbps, multiplier));
    mfx.MaxKbps = mfx.TargetKbps;
    mfx.BufferSizeInKB = static_cast<mfxU16>(ceil_div(frame_kb, multiplier));
    mfx.InitialDelayInKB = mfx.BufferSizeInKB;
}

void fill_encode_params(Codec codec, const tether_encoder_config& resolved, bool low_power, EncodeParams& out) {
    mfxVideoParam& video = out.video;
    video = mfxVideoParam{};
    video.AsyncDepth = 1;  // one picture in flight: its bitstream comes back before the next goes in
    video.IOPattern = MFX_IOPATTERN_IN_SYSTEM_MEMORY;
    mfxInfoMFX& mfx = video.mfx;
    mfx.CodecId = codec_id(codec);
    mfx.CodecProfile = codec == Codec::h264   ? static_cast<mfxU16>(MFX_PROFILE_AVC_HIGH)
                       : codec == Codec::hevc ? static_cast<mfxU16>(MFX_PROFILE_HEVC_MAIN)
                                              : static_cast<mfxU16>(MFX_PROFILE_AV1_MAIN);
    mfx.TargetUsage = target_usage(resolved.speed);
    mfx.LowPower = low_power ? static_cast<mfxU16>(MFX_CODINGOPTION_ON) : static_cast<mfxU16>(MFX_CODINGOPTION_UNKNOWN);
    mfx.GopRefDist = 1;  // no B-frames: nothing waits for a later picture
    mfx.GopPicSize = longest_gop;
    // Every I-frame an IDR: H.264 and AV1 count from 0, HEVC from 1.
    mfx.IdrInterval = codec == Codec::hevc ? 1 : 0;
    mfx.NumRefFrame = 1;
    mfx.FrameInfo.FrameRateExtN = resolved.fps;
    mfx.FrameInfo.FrameRateExtD = 1;
    fill_frame_info(codec, resolved.width, resolved.height, mfx.FrameInfo);
    apply_rate(resolved, mfx);

    if (codec != Codec::av1) {
        header(out.coding, MFX_EXTBUFF_CODING_OPTION);
        out.coding.MaxDecFrameBuffering = 1;
        out.coding.AUDelimiter = MFX_CODINGOPTION_OFF;
        attach(out, out.coding.Header);
    }
    header(out.coding3, MFX_EXTBUFF_CODING_OPTION3);
    out.coding3.LowDelayBRC = MFX_CODINGOPTION_ON;  // holds each frame near its share, as a one-frame buffer wants
    out.coding3.ScenarioInfo = MFX_SCENARIO_DISPLAY_REMOTING;
    out.coding3.ContentInfo = MFX_CONTENT_NON_VIDEO_SCREEN;
    attach(out, out.coding3.Header);
    header(out.signal, MFX_EXTBUFF_VIDEO_SIGNAL_INFO);
    out.signal.VideoFormat = video_format_unspecified;
    out.signal.VideoFullRange = 0;
    out.signal.ColourDescriptionPresent = 1;
    out.signal.ColourPrimaries = bt601;
    out.signal.TransferCharacteristics = bt601;
    out.signal.MatrixCoefficients = bt601;
    attach(out, out.signal.Header);
}

bool fill_reset_params(Codec codec, const mfxVideoParam& initial, const tether_encoder_config& current,
                       const tether_encoder_config& next, EncodeParams& out) {
    if (next.speed != current.speed) return false;
    if (aligned(codec, next.width) > initial.mfx.FrameInfo.Width ||
        aligned(codec, next.height) > initial.mfx.FrameInfo.Height)
        return false;
    fill_encode_params(codec, next, initial.mfx.LowPower == MFX_CODINGOPTION_ON, out);
    const bool resized = next.width != current.width || next.height != current.height;
    header(out.reset, MFX_EXTBUFF_ENCODER_RESET_OPTION);
    out.reset.StartNewSequence = resized ? MFX_CODINGOPTION_ON : MFX_CODINGOPTION_OFF;
    attach(out, out.reset.Header);
    return true;
}

}  // namespace tether::vpl
