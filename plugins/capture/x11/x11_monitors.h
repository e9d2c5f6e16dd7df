// The screen's layout: its monitors from RandR 1.5 (RRGetMonitors), and word
// when the screen's size or its monitors change (RandR's notifies, or a
// ConfigureNotify of the root window where RandR is missing).
#pragma once

#include <tether/plugin.h>
#include <xcb/xcb.h>

#include <string>
#include <utility>
#include <vector>

namespace tether::x11 {

struct Monitor {
    tether_rect area;  // in the screen's pixels, inside it
    bool primary = false;
    std::string name;  // "DP-1"
};

class X11Monitors {
public:
    X11Monitors(xcb_connection_t* connection, xcb_window_t root);

    // True when the event was about the layout (and is then dealt with).
    bool handle(const xcb_generic_event_t& event);
    // The layout changed since the last take_change().
    bool changed() const { return changed_; }
    bool take_change() { return std::exchange(changed_, false); }
    // The monitors RandR lists, clipped to `screen`; the whole screen as one
    // when RandR 1.5 is missing or lists none.
    std::vector<Monitor> list(const tether_rect& screen) const;

private:
    xcb_connection_t* connection_;
    xcb_window_t root_;
    bool has_randr_ = false;  // 1.5, with monitors
    uint8_t first_event_ = 0;
    bool changed_ = false;
};

}  // namespace tether::x11
