// A session's bytes on their way to its viewer, and what it does about a queue
// of them (docs/congestion.md, "The host's backlog"). The transport counts
// every byte not yet taken by the path; a round trip's worth of them is in
// flight and no queue, and so is what is left of a keyframe the encoder could
// not fit in the rate. Over a tenth of a second's worth the session holds its
// feed: nothing new is coded for it until the queue drains, and the picture
// after follows the last one sent. Where the feed's other sessions keep it
// going, a lasting queue bigger than a keyframe makes the session skip
// pictures (and wait for a keyframe): skipping a smaller one would only send a
// bigger one.
#pragma once

#include "congestion/rate_controller.h"
#include "congestion/round_trip.h"

#include <cstdint>

namespace tether::session {

class SendBacklog {
public:
    using Clock = congestion::Clock;

    // The channel now: `unsent` bytes the path has not taken, `sent` handed to it in all.
    // Tells the session's controller what the path takes (its caller holds its lock);
    // true: hold the feed.
    bool look(uint64_t unsent, uint64_t sent, congestion::RateController& rate, Clock::time_point now);
    // Whether to skip pictures, by the last look; `feed_held`: the feed codes nothing now.
    bool skips(bool feed_held, Clock::time_point now) const;
    // A picture handed to the channel, which has `sent` bytes handed in all with it.
    void handed(uint64_t sent, bool keyframe, uint64_t bytes, Clock::time_point now);

    uint64_t taken() const { return taken_; }  // bytes the path has taken, by the last look

private:
    congestion::RoundTrip round_trip_;
    uint64_t taken_ = 0;
    uint64_t queued_ = 0;        // by the last look
    uint64_t keyframe_bytes_ = 0;  // the last keyframe handed
    uint64_t keyframe_end_ = 0;    // the channel's bytes handed once it was
    // What the path took and what the session handed it, as of the last sample.
    uint64_t sampled_taken_ = 0;
    uint64_t sampled_sent_ = 0;
    Clock::time_point sampled_at_ = Clock::now();
    uint64_t allowed_ = 0;           // the rate's allowance, by the last look
    uint64_t skipped_at_once_ = 0;   // and the queue skipped at once
    Clock::time_point fitted_at_ = Clock::now();  // when the queue last fitted the allowance
};

}  // namespace tether::session
