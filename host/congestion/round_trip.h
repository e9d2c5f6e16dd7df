// The host's view of the path's round trip, for telling bytes in flight from a
// queue: the bytes a transport holds unacknowledged include a round trip's
// worth that no queue explains. A sample is the time from handing a picture to
// the channel to the path having taken all of it (acknowledged); the round trip
// is the lowest sample of the last ten seconds. Sampled where the host looks
// (its send loop), so it may read high by the time between looks, never low.
#pragma once

#include "path_report.h"
#include "recent_low.h"

#include <chrono>
#include <cstdint>
#include <deque>

namespace tether::congestion {

class RoundTrip {
public:
    // A picture handed to the channel: `end` is the channel's bytes sent once it was.
    void handed(uint64_t end, Clock::time_point at);
    // The path has taken `taken` of the channel's bytes by `now`.
    void taken(uint64_t taken, Clock::time_point now);
    // The lowest round trip of the last ten seconds; 0 before the first sample.
    std::chrono::microseconds least() const;

private:
    struct Handed {
        uint64_t end;
        Clock::time_point at;
    };
    std::deque<Handed> waiting_;  // oldest first, at most kMostWaiting
    RecentLow lowest_{10};
};

}  // namespace tether::congestion
