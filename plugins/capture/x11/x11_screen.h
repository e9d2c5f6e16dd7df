// One X11 screen read through XCB and MIT-SHM: the root window's pixels, as
// the server holds them, copied by the server into memory shared with us.
#pragma once

#include <xcb/shm.h>
#include <xcb/xcb.h>

#include <cstdint>
#include <span>
#include <string>

namespace tether::x11 {

class X11Screen {
public:
    // `display`: ":1", or empty for $DISPLAY. Throws std::runtime_error saying
    // why when the display cannot be opened or lacks MIT-SHM.
    explicit X11Screen(const std::string& display);
    ~X11Screen();
    X11Screen(const X11Screen&) = delete;
    X11Screen& operator=(const X11Screen&) = delete;

    // The whole screen now, 4 bytes per pixel (B, G, R, X), `width() * 4` per
    // row; valid until the next read. Follows the screen's size when it changes.
    std::span<const uint8_t> read();
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }

private:
    void share(uint32_t width, uint32_t height);  // a segment for that size
    void unshare();

    xcb_connection_t* connection_ = nullptr;
    xcb_window_t root_ = 0;
    uint32_t width_ = 0;
    uint32_t height_ = 0;
    xcb_shm_seg_t segment_ = 0;
    uint8_t* memory_ = nullptr;
    size_t size_ = 0;
};

}  // namespace tether::x11
