// The pointer apart from the picture: its position asked for on each report
// (one cheap round trip), its shape fetched through XFixes only when the
// server says it changed. X draws no cursor into what GetImage reads, so a
// moving pointer changes no picture.
#pragma once

#include <tether/plugin.h>
#include <xcb/xcb.h>
#include <xcb/xfixes.h>

#include <cstdint>

namespace tether::x11 {

class X11Cursor {
public:
    // Without XFixes 2 (`has_xfixes` false) it reports the position alone, never a shape.
    X11Cursor(const tether_host_api* host, xcb_connection_t* connection, xcb_window_t root, bool has_xfixes);

    // True when the event was a cursor shape change (and is then dealt with).
    bool handle(const xcb_generic_event_t& event);
    // The pointer in the pixels of `area` (the captured part of the screen):
    // TETHER_OK when it moved, showed, hid or changed shape since the last
    // report, with a new image (a host buffer) only when the shape changed;
    // TETHER_AGAIN when nothing changed.
    int report(tether_cursor& cursor, const tether_rect& area);

private:
    // The server's shape now, into cursor.image and the shape's fields; false
    // when the server would not give it.
    bool fetch_shape(tether_cursor& cursor, xcb_xfixes_get_cursor_image_cookie_t request);

    const tether_host_api* host_;
    xcb_connection_t* connection_;
    xcb_window_t root_;
    bool has_xfixes_;
    uint8_t first_event_ = 0;
    bool shape_changed_ = true;  // the first report gives the shape
    bool reported_ = false;
    tether_cursor last_{};  // what the last report said, image left out
};

}  // namespace tether::x11
