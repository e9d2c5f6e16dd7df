#include "remote_cursor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tether::window {
namespace {

// Shapes kept: a desktop's usual pointers (arrow, text, hand, resize...) without
// letting a host make the viewer hold its every shape.
constexpr size_t kShapesKept = 32;

}  // namespace

void RemoteCursor::shape_arrived(const proto::CursorShape& shape) {
    std::lock_guard lock(mutex_);
    arrived_.push_back(shape);
    if (arrived_.size() > kShapesKept) arrived_.pop_front();
}

void RemoteCursor::position_arrived(const proto::CursorPosition& position) {
    std::lock_guard lock(mutex_);
    moved_ = position;
}

bool RemoteCursor::update(SDL_Renderer* renderer) {
    std::deque<proto::CursorShape> arrived;
    std::optional<proto::CursorPosition> moved;
    {
        std::lock_guard lock(mutex_);
        arrived.swap(arrived_);
        moved.swap(moved_);
    }
    for (auto& s : arrived) {
        // decode() checked the size against the pixels; BGRA bytes are SDL's BGRA32 on any byte order.
        TextureHandle texture(SDL_CreateTexture(renderer, SDL_PIXELFORMAT_BGRA32, SDL_TEXTUREACCESS_STATIC,
                                                static_cast<int>(s.width()), static_cast<int>(s.height())));
        if (!texture || SDL_UpdateTexture(texture.get(), nullptr, s.bgra().data(), static_cast<int>(s.width()) * 4) != 0) {
            spdlog::warn("viewer window: cursor image: {}", SDL_GetError());
            continue;
        }
        SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_BLEND);  // straight alpha
        std::erase_if(shapes_, [&](const Shape& kept) { return kept.header.serial() == s.serial(); });
        // A hot spot off the image is a host's mistake: kept on its edge.
        s.set_hot_x(std::clamp(s.hot_x(), 0, static_cast<int>(s.width()) - 1));
        s.set_hot_y(std::clamp(s.hot_y(), 0, static_cast<int>(s.height()) - 1));
        s.clear_bgra();
        shapes_.push_back(Shape{std::move(s), std::move(texture)});
        if (shapes_.size() > kShapesKept) shapes_.pop_front();
    }
    if (moved) position_ = *moved;
    return !arrived.empty() || moved.has_value();
}

const RemoteCursor::Shape* RemoteCursor::current() const {
    const auto found = std::ranges::find_if(
        shapes_, [&](const Shape& shape) { return shape.header.serial() == position_.shape_serial(); });
    return found == shapes_.end() ? nullptr : &*found;
}

bool RemoteCursor::shown() const { return position_.visible() && current() != nullptr; }

void RemoteCursor::draw(SDL_Renderer* renderer, const Letterbox& box) const {
    const Shape* shape = shown() ? current() : nullptr;
    if (!shape || box.picture().w == 0) return;
    const proto::CursorShape& s = shape->header;
    const Point hot = box.to_window({position_.x(), position_.y()});
    const SDL_Rect to{hot.x - box.scale(s.hot_x()), hot.y - box.scale(s.hot_y()), box.scale(static_cast<int>(s.width())),
                      box.scale(static_cast<int>(s.height()))};
    // Only over the picture, not over the bars beside it.
    const SDL_Rect clip{box.picture().x, box.picture().y, box.picture().w, box.picture().h};
    SDL_RenderSetClipRect(renderer, &clip);
    SDL_RenderCopy(renderer, shape->texture.get(), nullptr, &to);
    SDL_RenderSetClipRect(renderer, nullptr);
}

}  // namespace tether::window
