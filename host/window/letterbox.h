// Where the host's picture sits in the window: scaled to fit with its aspect
// kept, centred, bars on the sides it does not fill; and window points mapped
// to the host's pixels and back through it.
#pragma once

#include <cstdint>

namespace tether::window {

struct Rect {
    int x = 0;
    int y = 0;
    int w = 0;
    int h = 0;
};

struct Point {
    int x = 0;
    int y = 0;
};

class Letterbox {
public:
    Letterbox() = default;
    Letterbox(uint32_t picture_w, uint32_t picture_h, int window_w, int window_h);

    const Rect& picture() const { return rect_; }  // in window points; empty before a picture is known
    bool contains(Point window_point) const;
    // A window point as the host's pixel, clamped into the picture.
    Point to_host(Point window_point) const;
    // A host pixel as a window point (one far outside the picture is brought within a picture's size of it).
    Point to_window(Point host_pixel) const;
    // A length in host pixels as window points (for the cursor image).
    int scale(int host_length) const;

private:
    uint32_t picture_w_ = 0;
    uint32_t picture_h_ = 0;
    Rect rect_;
};

}  // namespace tether::window
