// The fields libaom's encoder configuration kept from libvpx's, set alike for
// both: realtime, without lag, one bitrate, a short rate-control buffer. Each
// plugin then sets what its library spells in its own enums (one pass, CBR,
// no periodic keyframes) and what differs by codec.
#pragma once

#include "frame_clock.h"

#include <tether/plugin.h>

namespace tether::codec {

// A keyframe may take at most this much of the rate: on a thin path a bigger
// one is a queue every picture behind it waits in (docs/congestion.md).
inline constexpr unsigned most_keyframe_ms = 300;

// That, as a percentage of one frame's share (the form libvpx and libaom take).
inline unsigned max_keyframe_percent(const tether_encoder_config& resolved) {
    const unsigned percent = resolved.fps * most_keyframe_ms / 10;
    return percent > 100 ? percent : 100;
}

template <typename EncoderConfig>
void set_realtime_fields(EncoderConfig& cfg, const tether_encoder_config& resolved) {
    cfg.g_w = resolved.width;
    cfg.g_h = resolved.height;
    cfg.g_timebase = {1, FrameClock::ticks_per_second};
    cfg.g_threads = resolved.threads;
    cfg.g_lag_in_frames = 0;    // every frame leaves as soon as it is encoded
    cfg.g_error_resilient = 0;  // the transports deliver whole frames in order
    cfg.rc_target_bitrate = resolved.bitrate_kbps;
    cfg.rc_dropframe_thresh = 0;  // the host decides which frames to skip, not the encoder
    cfg.rc_min_quantizer = 2;
    cfg.rc_max_quantizer = 52;
    // A short buffer keeps the queue on the wire, and so the latency, small.
    cfg.rc_buf_sz = 1000;
    cfg.rc_buf_initial_sz = 500;
    cfg.rc_buf_optimal_sz = 600;
    cfg.rc_undershoot_pct = 50;
    cfg.rc_overshoot_pct = 50;
}

}  // namespace tether::codec
