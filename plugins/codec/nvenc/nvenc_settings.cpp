#include "nvenc_settings.h"

#include <algorithm>
#include <cstring>

namespace tether::nvenc {
namespace {

// Video Codec SDK 12.0's NV_ENC_CODEC_AV1_GUID, which these headers predate:
// the probe looks for it among the device's codecs.
constexpr GUID av1_guid = {0x0a352289, 0x0aa7, 0x4759, {0x86, 0x2d, 0x5d, 0x15, 0xcd, 0x16, 0xd2, 0x54}};

// ITU-T H.264/H.265 Annex E values: what our I420 is (BT.601, limited range),
// and what NVENC's own conversion of ARGB input is told to produce.
constexpr uint32_t video_format_unspecified = 5;
constexpr uint32_t bt601 = 6;  // colour_primaries, transfer_characteristics, matrix_coefficients: SMPTE 170M

void signal_bt601(NV_ENC_CONFIG_H264_VUI_PARAMETERS& vui) {
    vui.videoSignalTypePresentFlag = 1;
    vui.videoFormat = video_format_unspecified;
    vui.videoFullRangeFlag = 0;
    vui.colourDescriptionPresentFlag = 1;
    vui.colourPrimaries = bt601;
    vui.transferCharacteristics = bt601;
    vui.colourMatrix = bt601;
}

// What H.264 and HEVC share, in fields of the same names: no IDR but on
// request, each with the parameter sets a joining viewer decodes from.
template <typename CodecConfig>
void tune_sequence(CodecConfig& codec, NV_ENC_CONFIG_H264_VUI_PARAMETERS& vui) {
    codec.idrPeriod = NVENC_INFINITE_GOPLENGTH;
    codec.repeatSPSPPS = 1;
    codec.enableIntraRefresh = 0;
    codec.outputAUD = 0;
    codec.chromaFormatIDC = 1;
    codec.level = NV_ENC_LEVEL_AUTOSELECT;
    signal_bt601(vui);
}

}  // namespace

GUID codec_guid(Codec codec) {
    switch (codec) {
    case Codec::h264: return NV_ENC_CODEC_H264_GUID;
    case Codec::hevc: return NV_ENC_CODEC_HEVC_GUID;
    case Codec::av1: return av1_guid;
    }
    return GUID{};
}

bool same_guid(const GUID& a, const GUID& b) {
    return a.Data1 == b.Data1 && a.Data2 == b.Data2 && a.Data3 == b.Data3 &&
           std::memcmp(a.Data4, b.Data4, sizeof a.Data4) == 0;
}

GUID preset_guid(int32_t speed) {
    switch (speed) {
    case 0: return NV_ENC_PRESET_P4_GUID;
    case 1: return NV_ENC_PRESET_P3_GUID;
    case 2: return NV_ENC_PRESET_P2_GUID;
    default: return NV_ENC_PRESET_P1_GUID;
    }
}

tether_encoder_config resolve(const tether_encoder_config& config) {
    return hw::resolve(config, speeds, max_dimension, max_dimension);
}

Size reserved_size(Size initial, Size device_max) {
    constexpr Size desktop{3840, 2160};
    return {std::min(std::max(initial.width, desktop.width), std::max(device_max.width, initial.width)),
            std::min(std::max(initial.height, desktop.height), std::max(device_max.height, initial.height))};
}

void apply_rate(const tether_encoder_config& resolved, NV_ENC_RC_PARAMS& rc) {
    const uint32_t bits_per_second = resolved.bitrate_kbps * 1000u;  // at most 10^9: fits
    const uint32_t frame_bits = bits_per_second / resolved.fps;
    rc.version = NV_ENC_RC_PARAMS_VER;
    rc.rateControlMode = NV_ENC_PARAMS_RC_CBR;
    rc.multiPass = NV_ENC_MULTI_PASS_DISABLED;
    rc.averageBitRate = bits_per_second;
    rc.maxBitRate = bits_per_second;
    // One frame's worth: a picture leaves within about a frame interval at the
    // link's rate, so nothing queues behind it (Video Codec SDK guide, low latency).
    rc.vbvBufferSize = frame_bits;
    rc.vbvInitialDelay = frame_bits;
    rc.enableLookahead = 0;
    rc.lookaheadDepth = 0;
    rc.zeroReorderDelay = 1;
    rc.enableAQ = 0;
    rc.enableTemporalAQ = 0;
}

void tune(Codec codec, const tether_encoder_config& resolved, NV_ENC_CONFIG& config) {
    config.version = NV_ENC_CONFIG_VER;
    config.gopLength = NVENC_INFINITE_GOPLENGTH;
    config.frameIntervalP = 1;  // IPPP: no B-frames, nothing waits for a later picture
    config.frameFieldMode = NV_ENC_PARAMS_FRAME_FIELD_MODE_FRAME;
    apply_rate(resolved, config.rcParams);
    if (codec == Codec::h264) {
        config.profileGUID = NV_ENC_H264_PROFILE_HIGH_GUID;
        NV_ENC_CONFIG_H264& h264 = config.encodeCodecConfig.h264Config;
        tune_sequence(h264, h264.h264VUIParameters);
    } else if (codec == Codec::hevc) {
        config.profileGUID = NV_ENC_HEVC_PROFILE_MAIN_GUID;
        NV_ENC_CONFIG_HEVC& hevc = config.encodeCodecConfig.hevcConfig;
        tune_sequence(hevc, hevc.hevcVUIParameters);
        hevc.pixelBitDepthMinus8 = 0;
    }
}

NV_ENC_INITIALIZE_PARAMS initialize_params(Codec codec, const tether_encoder_config& resolved, Size reserved,
                                           NV_ENC_CONFIG& config) {
    NV_ENC_INITIALIZE_PARAMS params{};
    params.version = NV_ENC_INITIALIZE_PARAMS_VER;
    params.encodeGUID = codec_guid(codec);
    params.presetGUID = preset_guid(resolved.speed);
    params.tuningInfo = NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY;
    params.encodeWidth = resolved.width;
    params.encodeHeight = resolved.height;
    params.darWidth = resolved.width;
    params.darHeight = resolved.height;
    params.frameRateNum = resolved.fps;
    params.frameRateDen = 1;
    params.enableEncodeAsync = 0;  // one picture at a time, its bitstream read before encode() returns
    params.enablePTD = 1;          // the encoder decides picture types; we only ask for IDRs
    params.maxEncodeWidth = reserved.width;
    params.maxEncodeHeight = reserved.height;
    params.encodeConfig = &config;
    return params;
}

std::optional<NV_ENC_RECONFIGURE_PARAMS> reconfigure_params(const NV_ENC_INITIALIZE_PARAMS& running,
                                                            const tether_encoder_config& current,
                                                            const tether_encoder_config& next, NV_ENC_CONFIG& config) {
    if (running.encodeConfig == nullptr) return std::nullopt;
    if (next.speed != current.speed) return std::nullopt;  // a preset is chosen when the session opens
    if (next.width > running.maxEncodeWidth || next.height > running.maxEncodeHeight) return std::nullopt;
    const bool resized = next.width != current.width || next.height != current.height;
    config = *running.encodeConfig;
    apply_rate(next, config.rcParams);
    NV_ENC_RECONFIGURE_PARAMS params{};
    params.version = NV_ENC_RECONFIGURE_PARAMS_VER;
    params.reInitEncodeParams = running;
    params.reInitEncodeParams.encodeWidth = next.width;
    params.reInitEncodeParams.encodeHeight = next.height;
    params.reInitEncodeParams.darWidth = next.width;
    params.reInitEncodeParams.darHeight = next.height;
    params.reInitEncodeParams.frameRateNum = next.fps;
    params.reInitEncodeParams.frameRateDen = 1;
    params.reInitEncodeParams.encodeConfig = &config;
    // A new size starts a new sequence; a new rate carries on without one.
    params.resetEncoder = resized ? 1 : 0;
    params.forceIDR = resized ? 1 : 0;
    return params;
}

}  // namespace tether::nvenc
