#include "send_backlog.h"

#include <algorithm>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// How often the session measures what its path took, for its rate controller (docs/congestion.md).
constexpr auto kSampleEvery = 250ms;
// How long a queue over the rate's allowance lasts before the session skips pictures.
constexpr auto kLasting = 250ms;

}  // namespace

bool SendBacklog::look(uint64_t unsent, uint64_t sent, congestion::RateController& rate, Clock::time_point now) {
    taken_ = sent > unsent ? sent - unsent : 0;
    round_trip_.taken(taken_, now);
    // Of the last keyframe, only its own bytes are excused: a queue ahead of it is still a queue.
    const uint64_t keyframe_left = std::min(keyframe_bytes_, keyframe_end_ - std::min(keyframe_end_, taken_));
    queued_ = unsent - std::min<uint64_t>(unsent, keyframe_left + rate.bytes_in_flight(round_trip_.least()));
    if (now - sampled_at_ >= kSampleEvery) {
        const double seconds = std::chrono::duration<double>(now - sampled_at_).count();
        const auto kbps = [&](uint64_t bytes) { return static_cast<double>(bytes) * 8 / 1000 / seconds; };
        rate.on_backlog(queued_, kbps(taken_ - std::min(taken_, sampled_taken_)), kbps(sent - std::min(sent, sampled_sent_)),
                        now);
        sampled_taken_ = taken_;
        sampled_sent_ = sent;
        sampled_at_ = now;
    }
    allowed_ = std::max(rate.backlog_allowed(), keyframe_bytes_);
    skipped_at_once_ = std::max(rate.backlog_skipped_at_once(), keyframe_bytes_);
    if (queued_ <= allowed_) fitted_at_ = now;
    return queued_ > rate.backlog_held();
}

bool SendBacklog::skips(bool feed_held, Clock::time_point now) const {
    // A held feed adds nothing: what still comes is the encoder's last work, and follows.
    if (feed_held || queued_ <= allowed_) return false;
    return now - fitted_at_ >= kLasting || queued_ > skipped_at_once_;
}

void SendBacklog::handed(uint64_t sent, bool keyframe, uint64_t bytes, Clock::time_point now) {
    round_trip_.handed(sent, now);
    if (!keyframe) return;
    keyframe_bytes_ = bytes;
    keyframe_end_ = sent;
}

}  // namespace tether::session
