#include "painted_window.h"

#include <xcb/xcb.h>

#include <cstdlib>
#include <stdexcept>

namespace tether::xbench {

PaintedWindow::PaintedWindow(const std::string& display, const tether_rect& area, uint32_t event_mask) : area_(area) {
    connection_ = xcb_connect(display.c_str(), nullptr);
    if (xcb_connection_has_error(connection_)) {
        xcb_disconnect(connection_);
        throw std::runtime_error("cannot open X display " + display);
    }
    xcb_screen_t* screen = xcb_setup_roots_iterator(xcb_get_setup(connection_)).data;
    colours_[0] = screen->black_pixel;
    colours_[1] = screen->white_pixel;
    window_ = xcb_generate_id(connection_);
    // Override-redirect: no window manager moves it, and it stays where the benchmark looks.
    const uint32_t values[] = {colours_[0], 1, event_mask};
    xcb_create_window(connection_, XCB_COPY_FROM_PARENT, window_, screen->root, static_cast<int16_t>(area.x),
                      static_cast<int16_t>(area.y), static_cast<uint16_t>(area.width), static_cast<uint16_t>(area.height),
                      0, XCB_WINDOW_CLASS_INPUT_OUTPUT, screen->root_visual,
                      XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, values);
    gc_ = xcb_generate_id(connection_);
    xcb_create_gc(connection_, gc_, window_, XCB_GC_FOREGROUND, &colours_[0]);
    xcb_map_window(connection_, window_);
    fill(false);
    sync();
}

PaintedWindow::~PaintedWindow() { xcb_disconnect(connection_); }

void PaintedWindow::fill(bool white) {
    xcb_change_gc(connection_, gc_, XCB_GC_FOREGROUND, &colours_[white ? 1 : 0]);
    const xcb_rectangle_t all{0, 0, static_cast<uint16_t>(area_.width), static_cast<uint16_t>(area_.height)};
    xcb_poly_fill_rectangle(connection_, window_, gc_, 1, &all);
    xcb_flush(connection_);
}

void PaintedWindow::sync() {
    free(xcb_get_input_focus_reply(connection_, xcb_get_input_focus(connection_), nullptr));
}

}  // namespace tether::xbench
