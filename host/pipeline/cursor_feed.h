// The pointer as the capture sees it, for every session: each listener
// hears the current state when it starts and every change after, on the
// capture thread. The shape travels as a shared image, sent by a session
// only when it differs from the one its viewer has.
#pragma once

#include "core/buffer.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace tether {

struct CursorShape {
    uint64_t serial = 0;
    uint32_t width = 0;
    uint32_t height = 0;
    int32_t hot_x = 0;
    int32_t hot_y = 0;
    BufferRef bgra;  // width*height*4, straight alpha
};

struct CursorState {
    int32_t x = 0;  // the hot spot, in the picture's pixels
    int32_t y = 0;
    bool visible = false;
    std::shared_ptr<const CursorShape> shape;  // null until the capture gave one
};

class CursorFeed {
public:
    using Fn = std::function<void(const CursorState&)>;
    // Stops the calls when destroyed, waiting for one under way.
    class Listener {
    public:
        ~Listener();
        Listener(const Listener&) = delete;
        Listener& operator=(const Listener&) = delete;

    private:
        friend class CursorFeed;
        Listener(CursorFeed& feed, uint64_t id) : feed_(feed), id_(id) {}
        CursorFeed& feed_;
        uint64_t id_;
    };

    // `fn` must not block or start or stop a listener: it runs under the feed's lock.
    std::unique_ptr<Listener> listen(Fn fn);
    void publish(CursorState state);

private:
    std::mutex mutex_;
    std::map<uint64_t, Fn> listeners_;
    uint64_t next_id_ = 0;
    std::optional<CursorState> current_;
};

}  // namespace tether
