// What changed on the screen, from the X server's Damage extension: one
// event when the screen's damage goes from none to some (ReportLevel
// NonEmpty), and the damaged region, merged by the server, taken at once
// when a picture is made.
#pragma once

#include <tether/plugin.h>
#include <xcb/damage.h>
#include <xcb/xcb.h>

#include <vector>

namespace tether::x11 {

class X11Damage {
public:
    // Watches `root`; available() is false when the server lacks Damage or XFixes 2.
    X11Damage(xcb_connection_t* connection, xcb_window_t root, bool has_xfixes);
    ~X11Damage();
    X11Damage(const X11Damage&) = delete;
    X11Damage& operator=(const X11Damage&) = delete;

    bool available() const { return damage_ != 0; }
    // True when the event was Damage's (and is then dealt with).
    bool handle(const xcb_generic_event_t& event);
    // Something was damaged since the last take().
    bool pending() const { return pending_; }
    // The screen's rectangles damaged since the last take(), as the server
    // holds them (not merged further, not clipped); the damage is then cleared.
    std::vector<tether_rect> take();

private:
    xcb_connection_t* connection_;
    uint8_t first_event_ = 0;
    xcb_damage_damage_t damage_ = 0;
    xcb_xfixes_region_t region_ = 0;  // where take() has the server put the damage
    bool pending_ = false;
};

}  // namespace tether::x11
