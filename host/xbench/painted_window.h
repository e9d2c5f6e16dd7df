// A small X client of the desktop benchmarks: a window of its own over an
// area of the screen, painted black or white on request. What the
// benchmarks capture changes exactly where and when they say.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <string>

struct xcb_connection_t;

namespace tether::xbench {

class PaintedWindow {
public:
    // Mapped over `area` of `display`, black, taking the X events in `event_mask`; throws when it cannot be.
    PaintedWindow(const std::string& display, const tether_rect& area, uint32_t event_mask = 0);
    ~PaintedWindow();
    PaintedWindow(const PaintedWindow&) = delete;
    PaintedWindow& operator=(const PaintedWindow&) = delete;

    void fill(bool white);  // sent, not waited for
    void sync();            // returns once the server has done what was sent
    xcb_connection_t* connection() const { return connection_; }
    uint32_t window() const { return window_; }

private:
    xcb_connection_t* connection_ = nullptr;
    uint32_t window_ = 0;
    uint32_t gc_ = 0;
    uint32_t colours_[2] = {0, 0};  // black, white
    tether_rect area_;
};

}  // namespace tether::xbench
