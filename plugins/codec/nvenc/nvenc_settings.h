// Tether's encoder settings in NVENC's terms, as pure functions over the
// Video Codec SDK's structures: no driver is needed to compute or test them.
//
//   speed 0..3        -> preset P4..P1 with NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY
//   bitrate_kbps      -> CBR, averageBitRate in bits/s, VBV of one frame
//   fps               -> frameRateNum / frameRateDen (fps / 1)
//   keyframes         -> infinite GOP, no B-frames, IDR only on request,
//                        SPS/PPS repeated with each IDR
#pragma once

#include "hw_codec.h"
#include "hw_encoder_config.h"

#include <tether/plugin.h>

#include <ffnvcodec/nvEncodeAPI.h>

#include <cstdint>
#include <optional>

namespace tether::nvenc {

using hw::Codec;
using hw::codec_name;

GUID codec_guid(Codec codec);
bool same_guid(const GUID& a, const GUID& b);

// These headers' NVENC API (11.1) has no AV1 structures: an AV1 encoder can
// be found on a device but not configured.
inline constexpr bool headers_configure_av1 = NVENCAPI_MAJOR_VERSION >= 12;

// speed: 0 (P4, the best pictures of the low-latency presets) to 3 (P1,
// the fastest); -1 means 3, as Sunshine's default for game streaming.
inline constexpr hw::SpeedRange speeds{0, 3, 3};
GUID preset_guid(int32_t speed);

// The largest picture NVENC encodes on any device; a device may take less
// (NV_ENC_CAPS_WIDTH_MAX, HEIGHT_MAX: limits()).
inline constexpr uint32_t max_dimension = 8192;

// validate + defaults (hw_encoder_config.h) within NVENC's sizes.
tether_encoder_config resolve(const tether_encoder_config& config);

struct Size {
    uint32_t width;
    uint32_t height;
};

// The largest size a session opened at `initial` can change to in place:
// room for a desktop of up to 3840x2160, never beyond the device's maximum.
Size reserved_size(Size initial, Size device_max);

// Rate control for a resolved configuration: CBR at bitrate_kbps (in bits/s,
// as NVENC takes it), a VBV buffer of one frame's bits, no lookahead, no reordering.
void apply_rate(const tether_encoder_config& resolved, NV_ENC_RC_PARAMS& rc);

// The preset's configuration from the driver, tuned for a remote desktop:
// infinite GOP, P-frames only, IDR on request with SPS/PPS, BT.601 limited
// range signalled, apply_rate's rate control.
void tune(Codec codec, const tether_encoder_config& resolved, NV_ENC_CONFIG& config);

// The session's parameters; `config` (already tuned) is what they point to.
NV_ENC_INITIALIZE_PARAMS initialize_params(Codec codec, const tether_encoder_config& resolved, Size reserved,
                                           NV_ENC_CONFIG& config);

// NvEncReconfigureEncoder's parameters to go from the running session to
// `next` (resolved): a new rate keeps everything else and makes no IDR; a
// new size within `running.maxEncodeWidth/Height` resets the encoder with an
// IDR. Nullopt when `next` needs a new session: a larger size or another preset.
// `config` receives the new NV_ENC_CONFIG the result points to.
std::optional<NV_ENC_RECONFIGURE_PARAMS> reconfigure_params(const NV_ENC_INITIALIZE_PARAMS& running,
                                                            const tether_encoder_config& current,
                                                            const tether_encoder_config& next, NV_ENC_CONFIG& config);

}  // namespace tether::nvenc
