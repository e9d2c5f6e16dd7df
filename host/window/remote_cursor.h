// The host's pointer, drawn over its picture: the shapes the host sent
// (each once, named by serial; the latest few kept as textures) and where
// its hot spot is now.
#pragma once

#include "letterbox.h"
#include "sdl_handles.h"
#include "session.pb.h"

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace tether::window {

class RemoteCursor {
public:
    // Any thread.
    void shape_arrived(const proto::CursorShape& shape);
    void position_arrived(const proto::CursorPosition& position);

    // Window thread: takes what arrived; true when the drawing changed.
    bool update(SDL_Renderer* renderer);
    // Whether it is drawn now: the host says it is visible and its shape is here.
    bool shown() const;
    void draw(SDL_Renderer* renderer, const Letterbox& box) const;

private:
    struct Shape {
        proto::CursorShape header;  // without its pixels, which are in the texture
        TextureHandle texture;
    };
    const Shape* current() const;

    std::mutex mutex_;
    std::deque<proto::CursorShape> arrived_;  // shapes not yet made into textures
    std::optional<proto::CursorPosition> moved_;

    std::deque<Shape> shapes_;  // window thread, newest last
    proto::CursorPosition position_;
};

}  // namespace tether::window
