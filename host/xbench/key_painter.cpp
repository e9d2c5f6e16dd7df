#include "key_painter.h"

#include <xcb/xcb.h>

#include <poll.h>

#include <cstdlib>

namespace tether::xbench {

KeyPainter::KeyPainter(const std::string& display, const tether_rect& area)
    : window_(display, area, XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_EXPOSURE) {
    xcb_set_input_focus(window_.connection(), XCB_INPUT_FOCUS_POINTER_ROOT, window_.window(), XCB_CURRENT_TIME);
    window_.sync();
    thread_ = std::thread([this] { run(); });
}

KeyPainter::~KeyPainter() {
    stop_ = true;
    thread_.join();
}

void KeyPainter::run() {
    xcb_connection_t* connection = window_.connection();
    pollfd fd{xcb_get_file_descriptor(connection), POLLIN, 0};
    bool white = false;
    while (!stop_ && !xcb_connection_has_error(connection)) {
        poll(&fd, 1, 50);  // the timeout only checks for the stop
        while (xcb_generic_event_t* event = xcb_poll_for_event(connection)) {
            const uint8_t type = event->response_type & 0x7f;
            if (type == XCB_KEY_PRESS) {
                white = !white;
                ++keys_;
            }
            if (type == XCB_KEY_PRESS || type == XCB_EXPOSE) window_.fill(white);
            free(event);
        }
    }
}

}  // namespace tether::xbench
