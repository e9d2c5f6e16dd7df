#include "key_painter.h"

#include <xcb/xcb.h>

#include <poll.h>

#include <cstdlib>

#include <stdexcept>

namespace tether::xbench {

KeyPainter::KeyPainter(const std::string& display, const tether_rect& area) : area_(area) {
    connection_ = xcb_connect(display.c_str(), nullptr);
    if (xcb_connection_has_error(connection_)) {
        xcb_disconnect(connection_);
        throw std::runtime_error("cannot open X display " + display);
    }
    xcb_screen_t* screen = xcb_setup_roots_iterator(xcb_get_setup(connection_)).data;
    white_ = screen->white_pixel;
    black_ = screen->black_pixel;
    window_ = xcb_generate_id(connection_);
    // Override-redirect: no window manager moves it, and it stays where the benchmark looks.
    const uint32_t values[] = {black_, 1, XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_EXPOSURE};
    xcb_create_window(connection_, XCB_COPY_FROM_PARENT, window_, screen->root, static_cast<int16_t>(area.x),
                      static_cast<int16_t>(area.y), static_cast<uint16_t>(area.width), static_cast<uint16_t>(area.height),
                      0, XCB_WINDOW_CLASS_INPUT_OUTPUT, screen->root_visual,
                      XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, values);
    gc_ = xcb_generate_id(connection_);
    xcb_create_gc(connection_, gc_, window_, XCB_GC_FOREGROUND, &black_);
    xcb_map_window(connection_, window_);
    xcb_set_input_focus(connection_, XCB_INPUT_FOCUS_POINTER_ROOT, window_, XCB_CURRENT_TIME);
    paint(false);
    thread_ = std::thread([this] { run(); });
}

KeyPainter::~KeyPainter() {
    stop_ = true;
    thread_.join();
    xcb_disconnect(connection_);
}

void KeyPainter::paint(bool white) {
    const uint32_t colour = white ? white_ : black_;
    xcb_change_gc(connection_, gc_, XCB_GC_FOREGROUND, &colour);
    const xcb_rectangle_t all{0, 0, static_cast<uint16_t>(area_.width), static_cast<uint16_t>(area_.height)};
    xcb_poly_fill_rectangle(connection_, window_, gc_, 1, &all);
    xcb_flush(connection_);
}

void KeyPainter::run() {
    pollfd fd{xcb_get_file_descriptor(connection_), POLLIN, 0};
    bool white = false;
    while (!stop_ && !xcb_connection_has_error(connection_)) {
        poll(&fd, 1, 50);  // the timeout only checks for the stop
        while (xcb_generic_event_t* event = xcb_poll_for_event(connection_)) {
            const uint8_t type = event->response_type & 0x7f;
            if (type == XCB_KEY_PRESS) {
                white = !white;
                ++keys_;
            }
            if (type == XCB_KEY_PRESS || type == XCB_EXPOSE) paint(white);
            free(event);
        }
    }
}

}  // namespace tether::xbench
