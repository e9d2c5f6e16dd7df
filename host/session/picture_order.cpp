#include "picture_order.h"

namespace tether::session {

std::vector<proto::VideoFrame> PictureOrder::arrive(proto::VideoFrame picture, Clock::time_point now) {
    std::vector<proto::VideoFrame> shown;
    const uint64_t sequence = picture.sequence();
    if (sequence <= last_) return shown;  // stale, or sent again after all
    const bool follows = sequence == last_ + 1;
    // A keyframe needs nothing before it: what is held from before it goes.
    if (follows || picture.keyframe()) {
        while (!held_.empty() && held_.begin()->first < sequence) {
            held_bytes_ -= held_.begin()->second.data().size();
            held_.erase(held_.begin());
        }
        last_ = sequence;
        shown.push_back(std::move(picture));
        // What was held and now follows.
        for (auto next = held_.begin(); next != held_.end() && next->first == last_ + 1; next = held_.erase(next)) {
            held_bytes_ -= next->second.data().size();
            last_ = next->first;
            shown.push_back(std::move(next->second));
        }
        if (!held_.empty()) gap_since_ = now;  // a further gap, waited for from now
        return shown;
    }
    if (held_.empty()) gap_since_ = now;
    held_bytes_ += picture.data().size();
    held_.emplace(sequence, std::move(picture));
    // More than a host should ever make us hold: what is held cannot wait.
    if (held_.size() > kMostHeld || held_bytes_ > kMostHeldBytes) give_up();
    return shown;
}

std::optional<PictureOrder::Gap> PictureOrder::gap() const {
    if (held_.empty()) return std::nullopt;
    return Gap{last_, held_.begin()->first - 1};
}

size_t PictureOrder::give_up() {
    const size_t dropped = held_.size();
    if (!held_.empty()) last_ = held_.rbegin()->first;
    held_.clear();
    held_bytes_ = 0;
    return dropped;
}

void PictureOrder::reset() {
    last_ = 0;
    held_.clear();
    held_bytes_ = 0;
}

}  // namespace tether::session
