// The libvpx settings Tether uses for remote-desktop video, in one place so
// the codec-vpx plugin and the bare benchmark encode with exactly the same
// configuration.
#pragma once

#include "config_rules.h"

#include <tether/plugin.h>

#include <vpx/vpx_codec.h>
#include <vpx/vpx_encoder.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tether::vpx {

enum class Codec { vp8, vp9 };

std::string_view codec_name(Codec codec);  // "vp8", "vp9"
std::optional<Codec> parse_codec(std::string_view name);

vpx_codec_iface_t* encoder_interface(Codec codec);
vpx_codec_iface_t* decoder_interface(Codec codec);

inline constexpr uint32_t max_threads = 64;  // libvpx's own limit

// Throws std::invalid_argument naming the bad field when libvpx would refuse
// the configuration or it makes no sense for a screen.
void validate(Codec codec, const tether_encoder_config& config);

// The configuration with every "encoder decides" value (0 or -1) replaced by
// the value actually used. Validates first.
tether_encoder_config resolve(Codec codec, const tether_encoder_config& config);

uint32_t default_threads(Codec codec);  // VP8: 1; VP9: min(cores, 4)
int32_t default_speed(Codec codec);

// The encoder configuration for a resolved tether configuration; its time
// base is FrameClock's (frame_clock.h).
vpx_codec_enc_cfg_t encoder_config(Codec codec, const tether_encoder_config& resolved);

// The codec controls that go with encoder_config(); throws std::runtime_error
// when libvpx refuses one.
void apply_controls(vpx_codec_ctx_t& context, Codec codec, const tether_encoder_config& resolved);
// The controls that follow the rate and frame rate, again after a reconfigure.
void apply_rate_controls(vpx_codec_ctx_t& context, const tether_encoder_config& resolved);

// Realtime: the encoder spends about one frame interval at most.
inline constexpr unsigned long encode_deadline = VPX_DL_REALTIME;

// libvpx's error text for the context's last failure, with its detail when there is one.
std::string error_text(vpx_codec_ctx_t& context);

}  // namespace tether::vpx
