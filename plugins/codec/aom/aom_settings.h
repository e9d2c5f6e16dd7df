// The libaom settings Tether uses for remote-desktop video: realtime usage,
// one pass CBR without lag, screen-content tools, keyframes only on request.
// Kept apart from the encoder so the mapping can be tested on its own.
#pragma once

#include "config_rules.h"

#include <tether/plugin.h>

#include <aom/aom_encoder.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tether::aom {

inline constexpr uint32_t max_threads = 64;  // libaom's own limit
// libaom's realtime speeds that keep 1080p interactive on a few cores; a
// configured speed outside them is brought into range (and logged), not refused.
inline constexpr int32_t min_speed = 7;
inline constexpr int32_t max_speed = 10;

// At every size: speed 10 leaves some small changes of a picture uncoded for
// a frame, and 9 costs 1 to 9 % more CPU at 1080p (docs/benchmarks.md).
inline constexpr int32_t default_speed = 9;

// Throws std::invalid_argument naming the bad field.
void validate(const tether_encoder_config& config);

// Validates, then replaces every "encoder decides" value (0 or -1) with the
// one used and brings the speed into [min_speed, max_speed].
tether_encoder_config resolve(const tether_encoder_config& config);

// The encoder configuration for a resolved tether configuration; its time
// base is FrameClock's (frame_clock.h).
aom_codec_enc_cfg_t encoder_config(const tether_encoder_config& resolved);

// One codec control and the value it gets.
struct Control {
    int id;
    int value;
    const char* name;  // for the error when libaom refuses it
};

// The controls that go with encoder_config().
std::vector<Control> controls(const tether_encoder_config& resolved);

// Applies controls(); throws std::runtime_error naming the one libaom refuses.
void apply_controls(aom_codec_ctx_t& context, const tether_encoder_config& resolved);

// libaom's error text for the context's last failure, with its detail when there is one.
std::string error_text(aom_codec_ctx_t& context);

}  // namespace tether::aom
