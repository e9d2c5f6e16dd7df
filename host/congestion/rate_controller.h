// One session's sending rate, from what its viewer reports (ViewerReport:
// receive rate, one-way delay trend, queue delay, loss) and what the host sees
// itself (bytes the path has not taken yet). A delay-based controller in the
// spirit of WebRTC's GCC: it backs off as soon as a queue grows, before
// anything is lost, and climbs when the path carries everything sent; below
// what the picture needs at full rate it lowers the frame rate, then, under
// sustained pressure, the size. docs/congestion.md gives the algorithm.
#pragma once

#include "path_report.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace tether::congestion {

enum class Preset { Balanced, BestQuality, LowBandwidth };
// "balanced", "best-quality", "low-bandwidth"; nullopt for anything else.
std::optional<Preset> preset_named(const std::string& name);
std::string preset_name(Preset preset);

struct PresetLimits {
    uint32_t start_kbps;
    uint32_t min_kbps;
    uint32_t max_kbps;
    uint32_t min_fps;
    uint32_t max_fps;
    bool may_scale;  // may halve the picture's size under sustained pressure
};
PresetLimits limits_of(Preset preset);

// What the session should be sent: the encoder's rate, its frame rate, and 1 or 2 (half the width and height).
struct RateTarget {
    uint32_t bitrate_kbps = 0;
    uint32_t fps = 0;
    uint32_t scale_divisor = 1;
    bool operator==(const RateTarget&) const = default;
};

class RateController {
public:
    // `max_kbps`: the configured ceiling, 0 for the preset's; `fps`: the capture's frame
    // rate; width and height: the picture's, for what it needs at full rate; `can_scale`:
    // whether the host can make pictures smaller (else the size stays, whatever the preset).
    RateController(Preset preset, uint32_t max_kbps, uint32_t fps, uint32_t width, uint32_t height,
                   bool can_scale = true);

    // A viewer's report; the new target.
    RateTarget on_report(const PathReport& report, Clock::time_point now);
    // The host's own view: `unsent` bytes the path has not taken, what it took per
    // second lately and what the session handed it. A backlog of more than a fifth
    // of a second at the target, on a path that takes less than the target, is a
    // queue, and so is one of more than a fifth of a second at what the path takes
    // when it took less than half of what it was handed (its capacity fell): the
    // target falls to what the path takes.
    RateTarget on_backlog(uint64_t unsent, double taken_kbps, double handed_kbps, Clock::time_point now);

    // The session's pictures come from a feed that codes below this controller's rate (the
    // constrained feed): what the viewer receives says nothing of its path, so the rate
    // climbs without it, on the delay alone, and the session can move back.
    void set_held_back(bool held_back) { held_back_ = held_back; }
    // The newest picture sent (VideoFrame.sequence): a report of pictures sent before the
    // last decrease shows the queue that decrease answered, and no decrease follows it.
    // The session's first picture drains alone: nothing follows it until the viewer has it.
    void set_newest_sent(uint64_t sequence);

    RateTarget target() const { return target_; }
    // A queue the host cannot see (a relay's or a router's buffer) stands on the path: its
    // viewer's pictures wait a long while. Nothing new should be coded for the session until
    // the pictures sent before it showed have arrived: the path drains at its full rate.
    // A viewer that has reported nothing for a second is not waited for.
    bool draining(Clock::time_point now);
    // Bytes the host may hold unsent before it skips pictures: a tenth of a second at
    // the target, or at what the path carries when it carries less.
    uint64_t backlog_allowed() const;
    // Bytes a path with this round trip holds in flight at what the session is sent: no queue.
    uint64_t bytes_in_flight(std::chrono::microseconds round_trip) const;
    // A queue beyond which the host holds the session's feed (VideoService::hold): a tenth
    // of a second at what the session was sent lately, or at what the path carries when
    // it carries less.
    uint64_t backlog_held() const;
    // A backlog (the last keyframe's bytes apart) beyond which the host skips pictures at
    // once rather than when it has lasted: what is added waits behind all of it.
    uint64_t backlog_skipped_at_once() const;

private:
    // Starts or ends a drain of a standing queue, by the report's queue delay and newest picture.
    void drain(const PathReport& report, Clock::time_point now);
    void end_drain() { drained_through_ = std::exchange(drain_through_, 0); }
    void decrease_to(double kbps, Clock::time_point now);
    void increase(double seconds, double receive_kbps, Clock::time_point now);
    void fit_frame_rate_and_size(Clock::time_point now);
    // Kilobits a second the picture needs at `fps` and `divisor` to look right (docs/congestion.md).
    double needed_kbps(uint32_t fps, uint32_t divisor) const;
    // What the session is sent now: the rate, what it was handed lately or what the path takes, the least.
    double sending_kbps() const;

    PresetLimits limits_;
    uint32_t full_fps_;
    uint32_t width_;
    uint32_t height_;
    double rate_kbps_;
    RateTarget target_;
    Clock::time_point last_decrease_{};
    // The host's clock at the last report: reports coming faster than they say they do climb no faster.
    Clock::time_point reported_at_ = Clock::now();
    bool held_back_ = false;
    uint64_t newest_sent_ = 0;
    uint64_t sent_before_decrease_ = 0;  // the newest picture sent at the last decrease
    uint64_t drain_through_ = 0;    // draining until the viewer has this picture; 0: not draining
    uint64_t drained_through_ = 0;  // the last drain's: pictures up to it showed the queue it drained
    Clock::time_point drain_since_{};
    double path_kbps_ = 0;  // what the path carried while something waited; 0: unknown
    Clock::time_point path_measured_at_{};  // when it last did
    double sent_kbps_ = 0;  // what the session was handed lately, its peaks kept for a while
    double congested_kbps_ = 0;  // the rate at the last decrease: climbs slow near it
    Clock::time_point congested_at_{};
    Clock::time_point pressure_since_{};  // at the lowest frame rate and still short of it
    Clock::time_point relief_since_{};    // scaled down and comfortably above what full size needs
};

}  // namespace tether::congestion
