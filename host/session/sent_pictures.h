// The host's side of the media lane (docs/protocol.md §3a): the last pictures
// a session sent, so a viewer that missed some can have them again, each at
// most once (a viewer cannot make the host send a picture many times over).
#pragma once

#include "core/buffer.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace tether::session {

class SentPictures {
public:
    // About two seconds of pictures at 30 fps, and what a burst of big ones may take.
    static constexpr size_t kMostKept = 64;
    static constexpr size_t kMostKeptBytes = 16u << 20;

    // [thread-safe] A picture sent, as its encoded message; sequences rise by one.
    void sent(uint64_t sequence, BufferRef message);
    // [thread-safe] Those kept of sequence in (after, through] not sent again
    // before, in order; each is marked sent again.
    std::vector<BufferRef> take_again(uint64_t after, uint64_t through);

private:
    struct Kept {
        uint64_t sequence;
        BufferRef message;
        bool sent_again = false;
    };
    std::mutex mutex_;
    std::deque<Kept> kept_;
    size_t bytes_ = 0;
};

}  // namespace tether::session
