// Tether's encoder settings in oneVPL's terms, as pure functions over the
// API's structures: no runtime or GPU is needed to compute or test them.
//
//   speed 0..6        -> TargetUsage 1..7 (7: MFX_TARGETUSAGE_BEST_SPEED)
//   bitrate_kbps      -> MFX_RATECONTROL_CBR, TargetKbps in kbps, a buffer of
//                        one frame; BRCParamMultiplier when a value passes 65535
//   fps               -> FrameRateExtN / FrameRateExtD (fps / 1)
//   keyframes         -> P-frames only (GopRefDist 1), AsyncDepth 1, a GOP
//                        of 65535 frames (oneVPL's longest), IDR on request
#pragma once

#include "hw_codec.h"
#include "hw_encoder_config.h"

#include <tether/plugin.h>

#include <vpl/mfxstructures.h>

#include <array>
#include <cstdint>

namespace tether::vpl {

using hw::Codec;
using hw::codec_name;

mfxU32 codec_id(Codec codec);              // MFX_CODEC_AVC, _HEVC, _AV1

// speed: 0 (TargetUsage 1, the best pictures) to 6 (TargetUsage 7, the
// fastest); -1 means 6, MFX_TARGETUSAGE_BEST_SPEED.
inline constexpr hw::SpeedRange speeds{0, 6, 6};
mfxU16 target_usage(int32_t speed);

// The largest picture the oneVPL GPU runtime encodes (HEVC and AV1; H.264
// stops at 4096): a device's own limits come from its description.
inline constexpr uint32_t max_dimension = 8192;

// validate + defaults (hw_encoder_config.h) within oneVPL's sizes.
tether_encoder_config resolve(const tether_encoder_config& config);

// Width and height as the encoder's surfaces hold them: 16-pixel multiples
// for H.264, 32 for HEVC and AV1 (their larger blocks); the crop is the picture.
uint32_t aligned(Codec codec, uint32_t side);

// The parameters of an encode session, with the extension buffers
// `video.ExtParam` points to: built in place, never copied.
struct EncodeParams {
    mfxVideoParam video{};
    mfxExtCodingOption coding{};         // H.264 and HEVC: no reordering, no AUD
    mfxExtCodingOption3 coding3{};       // low-delay rate control, screen content
    mfxExtVideoSignalInfo signal{};      // BT.601, limited range: what our NV12 is
    mfxExtEncoderResetOption reset{};    // Reset only: a new sequence for a new size
    std::array<mfxExtBuffer*, 4> attached{};

    EncodeParams() = default;
    EncodeParams(const EncodeParams&) = delete;
    EncodeParams& operator=(const EncodeParams&) = delete;
};

// Rate control for a resolved configuration: CBR, TargetKbps = MaxKbps =
// bitrate_kbps, BufferSizeInKB = InitialDelayInKB = one frame (KB: 1000 bytes),
// each divided by BRCParamMultiplier, the smallest that fits them in 16 bits.
void apply_rate(const tether_encoder_config& resolved, mfxInfoMFX& mfx);

// The parameters for MFXVideoENCODE_Init at `resolved`'s size. `low_power`:
// the fixed-function encoder (VDEnc), which some devices have for some codecs only.
void fill_encode_params(Codec codec, const tether_encoder_config& resolved, bool low_power, EncodeParams& out);

// MFXVideoENCODE_Reset's parameters to go from `current` to `next`
// (resolved), keeping the running session's other choices: a new rate keeps
// the sequence; a new size within the session's first surfaces
// (`initial.mfx.FrameInfo.Width/Height`) starts a new one with an IDR. False
// when `next` needs a new session (larger, or another TargetUsage).
bool fill_reset_params(Codec codec, const mfxVideoParam& initial, const tether_encoder_config& current,
                       const tether_encoder_config& next, EncodeParams& out);

}  // namespace tether::vpl
