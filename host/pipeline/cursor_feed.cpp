#include "cursor_feed.h"

namespace tether {

CursorFeed::Listener::~Listener() {
    const std::lock_guard lock(feed_.mutex_);
    feed_.listeners_.erase(id_);
}

std::unique_ptr<CursorFeed::Listener> CursorFeed::listen(Fn fn) {
    const std::lock_guard lock(mutex_);
    if (current_) fn(*current_);
    const uint64_t id = next_id_++;
    listeners_.emplace(id, std::move(fn));
    return std::unique_ptr<Listener>(new Listener(*this, id));
}

void CursorFeed::publish(CursorState state) {
    const std::lock_guard lock(mutex_);
    current_ = std::move(state);
    for (const auto& [id, fn] : listeners_) fn(*current_);
}

}  // namespace tether
