#include "letterbox.h"

#include <algorithm>

namespace tether::window {

Letterbox::Letterbox(uint32_t picture_w, uint32_t picture_h, int window_w, int window_h)
    : picture_w_(picture_w), picture_h_(picture_h) {
    if (picture_w == 0 || picture_h == 0 || window_w <= 0 || window_h <= 0) return;
    // Compare window_w / window_h with picture_w / picture_h without rounding.
    const int64_t wide = int64_t{window_w} * picture_h;
    const int64_t tall = int64_t{window_h} * picture_w;
    if (wide >= tall) {  // bars left and right
        rect_.h = window_h;
        rect_.w = static_cast<int>(tall / picture_h);
    } else {  // bars above and below
        rect_.w = window_w;
        rect_.h = static_cast<int>(wide / picture_w);
    }
    rect_.x = (window_w - rect_.w) / 2;
    rect_.y = (window_h - rect_.h) / 2;
}

bool Letterbox::contains(Point p) const {
    return p.x >= rect_.x && p.x < rect_.x + rect_.w && p.y >= rect_.y && p.y < rect_.y + rect_.h;
}

Point Letterbox::to_host(Point p) const {
    if (rect_.w <= 0 || rect_.h <= 0) return {};
    const int64_t x = int64_t{p.x - rect_.x} * picture_w_ / rect_.w;
    const int64_t y = int64_t{p.y - rect_.y} * picture_h_ / rect_.h;
    return {static_cast<int>(std::clamp<int64_t>(x, 0, int64_t{picture_w_} - 1)),
            static_cast<int>(std::clamp<int64_t>(y, 0, int64_t{picture_h_} - 1))};
}

Point Letterbox::to_window(Point host) const {
    if (picture_w_ == 0 || picture_h_ == 0) return {};
    // A point far off the picture (the host says where its cursor is) stays far off, without overflowing.
    const int64_t x = std::clamp<int64_t>(host.x, -int64_t{picture_w_}, 2 * int64_t{picture_w_});
    const int64_t y = std::clamp<int64_t>(host.y, -int64_t{picture_h_}, 2 * int64_t{picture_h_});
    return {rect_.x + static_cast<int>(x * rect_.w / picture_w_), rect_.y + static_cast<int>(y * rect_.h / picture_h_)};
}

int Letterbox::scale(int host_length) const {
    if (picture_w_ == 0) return 0;
    return std::max(1, static_cast<int>(int64_t{host_length} * rect_.w / picture_w_));
}

}  // namespace tether::window
