// The viewer's side of the media lane (docs/protocol.md §3a): pictures may
// be lost there, and each carries the session's count of pictures sent.
// One that does not follow the last shown is held until the missing ones come
// again or a keyframe makes them moot, so none is decoded out of order.
#pragma once

#include "session.pb.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace tether::session {

class PictureOrder {
public:
    using Clock = std::chrono::steady_clock;
    // Pictures to send again: those of sequence after `after` up to `through`.
    struct Gap {
        uint64_t after = 0;
        uint64_t through = 0;
        bool operator==(const Gap&) const = default;
    };
    // What a hostile host can make the viewer hold.
    static constexpr size_t kMostHeld = 64;
    static constexpr size_t kMostHeldBytes = 32u << 20;

    // A picture that came (sequence > 0); returns those to show now, in the
    // order they were sent. A stale or repeated one is dropped.
    std::vector<proto::VideoFrame> arrive(proto::VideoFrame picture, Clock::time_point now);
    // The pictures missing before the first held one, while there are any.
    std::optional<Gap> gap() const;
    Clock::time_point gap_since() const { return gap_since_; }
    // Gives up on the gap: what is held cannot be shown without the missing
    // pictures, and goes; the next picture after it starts afresh.
    // Returns how many pictures were dropped.
    size_t give_up();
    // A new path: its pictures count from 1 again.
    void reset();

private:
    uint64_t last_ = 0;  // the sequence of the last picture shown (sequences start at 1)
    std::map<uint64_t, proto::VideoFrame> held_;
    size_t held_bytes_ = 0;
    Clock::time_point gap_since_{};
};

}  // namespace tether::session
