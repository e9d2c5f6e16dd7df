#include "rate_controller.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tether::congestion {
namespace {

using namespace std::chrono_literals;

// A queue is growing: the delay climbs this fast with some queue already there,
// or the queue alone holds this much.
constexpr double kOveruseSlopeMsPerS = 8;
constexpr auto kOveruseQueueWithSlope = 15ms;
constexpr auto kOveruseQueue = 120ms;
// The queue drains: hold the rate until it has.
constexpr double kUnderuseSlopeMsPerS = -8;
constexpr double kBackoff = 0.85;    // of what the path carried, on a queue
constexpr double kLossTolerated = 0.10;
constexpr auto kDecreaseGap = 400ms;  // one decrease per round of reports: the next one sees its effect
// Climbing: by half a second far from the last congestion, by a few percent near it.
constexpr double kGrowthPerS = 1.5;
constexpr double kNearCongestion = 1.1;
constexpr auto kCongestionRemembered = 3s;
constexpr double kAdditiveShare = 0.08;
constexpr double kAdditiveLeastKbps = 50;
// A rate the path has not carried lately is not climbed from: the encoder may be idling.
constexpr double kProvenShare = 0.5;
// Bits per pixel a screen's picture needs per frame to stay sharp while it moves.
constexpr double kBitsPerPixel = 0.02;
constexpr auto kSustained = 3s;   // at the lowest frame rate and short of it, before halving the size
constexpr double kScaleDownShare = 0.6;
constexpr auto kBacklogTolerated = 200ms;
constexpr auto kBacklogAllowed = 100ms;
constexpr uint64_t kLeastBacklogAllowed = 16 * 1024;
constexpr uint64_t kLeastBacklogHeld = 8 * 1024;  // holding costs nothing: only a wait
constexpr double kCapacityFell = 0.5;  // the path took less than this share of what it was handed
constexpr auto kSkippedAtOnce = 400ms;
constexpr auto kPathRemembered = 1s;
constexpr double kSentKept = 0.7;  // of the last sample's peak in the next
// A queue this long that a decrease has not drained stands: the session sends nothing new until it has.
constexpr auto kStandingQueue = 400ms;
constexpr auto kLongestDrain = 10s;  // a viewer whose reports never say the queue arrived
constexpr auto kUnreportedDrain = 1s;  // and one that reports nothing (four reports missed)

// True once `condition` has held for kSustained without a break; `since` keeps when it began.
bool sustained(Clock::time_point& since, bool condition, Clock::time_point now) {
    if (!condition) {
        since = {};
        return false;
    }
    if (since == Clock::time_point{}) since = now;
    if (now - since < kSustained) return false;
    since = {};
    return true;
}

}  // namespace

std::optional<Preset> preset_named(const std::string& name) {
    if (name == "balanced") return Preset::Balanced;
    if (name == "best-quality") return Preset::BestQuality;
    if (name == "low-bandwidth") return Preset::LowBandwidth;
    return std::nullopt;
}

std::string preset_name(Preset preset) {
    switch (preset) {
    case Preset::Balanced: return "balanced";
    case Preset::BestQuality: return "best-quality";
    case Preset::LowBandwidth: return "low-bandwidth";
    }
    return "balanced";
}

PresetLimits limits_of(Preset preset) {
    switch (preset) {
    case Preset::BestQuality: return {4000, 300, 30000, 5, 240, false};
    case Preset::LowBandwidth: return {500, 100, 1000, 5, 15, true};
    case Preset::Balanced: break;
    }
    return {2000, 150, 10000, 10, 240, true};
}

RateController::RateController(Preset preset, uint32_t max_kbps, uint32_t fps, uint32_t width, uint32_t height,
                               bool can_scale)
    : limits_(limits_of(preset)), full_fps_(std::clamp(fps, 1u, limits_.max_fps)), width_(width), height_(height) {
    limits_.may_scale = limits_.may_scale && can_scale;
    // A ceiling below the preset's floor is the floor too: what the user asked for, never more.
    if (max_kbps != 0) {
        limits_.max_kbps = max_kbps;
        limits_.min_kbps = std::min(limits_.min_kbps, max_kbps);
    }
    limits_.start_kbps = std::min(limits_.start_kbps, limits_.max_kbps);
    rate_kbps_ = limits_.start_kbps;
    target_ = {static_cast<uint32_t>(rate_kbps_), full_fps_, 1};
    fit_frame_rate_and_size(Clock::now());
}

RateTarget RateController::on_report(const PathReport& report, Clock::time_point now) {
    const double seconds = std::chrono::duration<double>(report.interval).count();
    if (seconds <= 0) return target_;
    // What the report claims to span, no more than the host's own clock saw pass since the last one.
    const double elapsed = std::max(0.0, std::chrono::duration<double>(now - std::exchange(reported_at_, now)).count());
    const double receive_kbps = static_cast<double>(report.bytes) * 8 / 1000 / seconds;
    const uint32_t sent = report.pictures + report.lost;
    const double loss = sent > 0 ? static_cast<double>(report.lost) / sent : 0;
    const bool overuse = (report.delay_slope_ms_per_s > kOveruseSlopeMsPerS && report.queue_delay >= kOveruseQueueWithSlope) ||
                         report.queue_delay >= kOveruseQueue;
    drain(report, now);
    // Its pictures were all sent before the last decrease: what they met, that decrease answered.
    const bool answered = report.newest_sequence != 0 && report.newest_sequence <= sent_before_decrease_;
    if (answered) {
        // hold: the pictures sent since will tell
    } else if (overuse) {
        // The viewer received less than the path carries when the host held back; what the
        // path took while something waited, lately, is the better measure.
        const bool path_known = now - path_measured_at_ <= kPathRemembered;
        decrease_to(kBackoff * std::max(receive_kbps, path_known ? path_kbps_ : 0.0), now);
    } else if (loss > kLossTolerated) {
        decrease_to(rate_kbps_ * (1 - loss / 2), now);
    } else if (report.delay_slope_ms_per_s >= kUnderuseSlopeMsPerS) {
        // A report of a long interval is no licence to leap, nor a flood of reports.
        increase(std::min({seconds, elapsed, 1.0}), receive_kbps, now);
    }
    fit_frame_rate_and_size(now);
    return target_;
}

void RateController::set_newest_sent(uint64_t sequence) {
    // The first picture, a keyframe and the biggest the session sends, takes seconds on a thin path;
    // what the host sent behind it before it learnt the path would wait behind it, seconds more.
    if (newest_sent_ == 0 && sequence != 0) {
        drain_through_ = sequence;
        drain_since_ = Clock::now();
    }
    newest_sent_ = sequence;
}

bool RateController::draining(Clock::time_point now) {
    if (drain_through_ != 0 && now - std::max(drain_since_, reported_at_) >= kUnreportedDrain)
        end_drain();
    return drain_through_ != 0;
}

void RateController::drain(const PathReport& report, Clock::time_point now) {
    if (drain_through_ != 0) {
        if (report.newest_sequence >= drain_through_ || now - drain_since_ >= kLongestDrain) end_drain();
        return;
    }
    // Pictures sent before the last drain ended show the queue it drained; a drain waits for pictures on their way.
    if (report.queue_delay >= kStandingQueue && report.newest_sequence > drained_through_ &&
        newest_sent_ > report.newest_sequence) {
        drain_through_ = newest_sent_;
        drain_since_ = now;
    }
}

RateTarget RateController::on_backlog(uint64_t unsent, double taken_kbps, double handed_kbps, Clock::time_point now) {
    // What the path took while something waited is what it carries; otherwise the sender was the limit.
    const bool path_limited = unsent > 0 && taken_kbps < rate_kbps_;
    path_kbps_ = path_limited ? taken_kbps : 0;
    if (path_limited) path_measured_at_ = now;
    sent_kbps_ = std::max({handed_kbps, taken_kbps, kSentKept * sent_kbps_});
    const auto seconds_at = [&](double kbps) { return static_cast<double>(unsent) * 8 / 1000 / std::max(kbps, 1.0); };
    const double tolerated_s = std::chrono::duration<double>(kBacklogTolerated).count();
    // A burst the path drains at the rate or faster is no queue, however big (a keyframe).
    const bool queue_at_rate = path_limited && seconds_at(rate_kbps_) > tolerated_s;
    // The rate may stand well above what a quiet screen asks for: a path whose capacity fell
    // shows first as a backlog that what it still takes cannot drain. Bytes a long path
    // holds in flight are no queue: it takes what it is handed.
    const bool capacity_fell = path_limited && unsent >= kLeastBacklogAllowed &&
                               taken_kbps < kCapacityFell * handed_kbps && seconds_at(taken_kbps) > tolerated_s;
    if (queue_at_rate || capacity_fell) {
        decrease_to(taken_kbps > 0 ? kBackoff * taken_kbps : rate_kbps_ / 2, now);
        fit_frame_rate_and_size(now);
    }
    return target_;
}

uint64_t RateController::backlog_allowed() const {
    const double kbps = path_kbps_ > 0 ? std::min(rate_kbps_, path_kbps_) : rate_kbps_;
    const double bytes = kbps * 1000 / 8 * std::chrono::duration<double>(kBacklogAllowed).count();
    return std::max(kLeastBacklogAllowed, static_cast<uint64_t>(bytes));
}

double RateController::sending_kbps() const {
    const double kbps = std::min(rate_kbps_, sent_kbps_ > 0 ? sent_kbps_ : rate_kbps_);
    return path_kbps_ > 0 ? std::min(kbps, path_kbps_) : kbps;
}

uint64_t RateController::bytes_in_flight(std::chrono::microseconds round_trip) const {
    return static_cast<uint64_t>(sending_kbps() * 1000 / 8 * std::chrono::duration<double>(round_trip).count());
}

uint64_t RateController::backlog_held() const {
    const double bytes = sending_kbps() * 1000 / 8 * std::chrono::duration<double>(kBacklogAllowed).count();
    return std::max(kLeastBacklogHeld, static_cast<uint64_t>(bytes));
}

uint64_t RateController::backlog_skipped_at_once() const {
    return static_cast<uint64_t>(rate_kbps_ * 1000 / 8 * std::chrono::duration<double>(kSkippedAtOnce).count());
}

void RateController::decrease_to(double kbps, Clock::time_point now) {
    if (now - last_decrease_ < kDecreaseGap) return;
    last_decrease_ = now;
    sent_before_decrease_ = newest_sent_;
    congested_kbps_ = rate_kbps_;
    congested_at_ = now;
    rate_kbps_ = std::clamp(std::min(kbps, rate_kbps_), static_cast<double>(limits_.min_kbps),
                            static_cast<double>(limits_.max_kbps));
}

void RateController::increase(double seconds, double receive_kbps, Clock::time_point now) {
    if (!held_back_ && receive_kbps < kProvenShare * rate_kbps_) return;
    const bool near = now - congested_at_ < kCongestionRemembered && rate_kbps_ < kNearCongestion * congested_kbps_;
    const double grown = near ? rate_kbps_ + std::max(kAdditiveShare * rate_kbps_, kAdditiveLeastKbps) * seconds
                              : rate_kbps_ * std::pow(kGrowthPerS, seconds);
    rate_kbps_ = std::min(grown, static_cast<double>(limits_.max_kbps));
}

double RateController::needed_kbps(uint32_t fps, uint32_t divisor) const {
    return static_cast<double>(width_ / divisor) * (height_ / divisor) * fps * kBitsPerPixel / 1000;
}

void RateController::fit_frame_rate_and_size(Clock::time_point now) {
    RateTarget next{static_cast<uint32_t>(rate_kbps_), full_fps_, target_.scale_divisor};
    // The frame rate the rate affords at this size, in steps of 5 (or the full rate).
    const double afforded = full_fps_ * rate_kbps_ / std::max(needed_kbps(full_fps_, next.scale_divisor), 1.0);
    if (afforded < full_fps_) {
        const auto stepped = static_cast<uint32_t>(afforded) / 5 * 5;
        next.fps = std::clamp(stepped, std::min(limits_.min_fps, full_fps_), full_fps_);
    }
    // Halving the size waits for sustained pressure, and coming back for sustained relief.
    const bool short_at_lowest = next.fps <= limits_.min_fps &&
                                 rate_kbps_ < kScaleDownShare * needed_kbps(limits_.min_fps, next.scale_divisor);
    if (sustained(pressure_since_, limits_.may_scale && next.scale_divisor == 1 && short_at_lowest, now))
        next.scale_divisor = 2;
    else if (sustained(relief_since_, next.scale_divisor == 2 && rate_kbps_ >= needed_kbps(limits_.min_fps, 1), now))
        next.scale_divisor = 1;
    if (next.scale_divisor != target_.scale_divisor) {
        // The frame rate again, for the new size.
        const double at_size = full_fps_ * rate_kbps_ / std::max(needed_kbps(full_fps_, next.scale_divisor), 1.0);
        next.fps = std::clamp(static_cast<uint32_t>(std::min<double>(at_size, full_fps_)) / 5 * 5,
                              std::min(limits_.min_fps, full_fps_), full_fps_);
    }
    target_ = next;
}

}  // namespace tether::congestion
