// One X11 screen through XCB and MIT-SHM: the connection, the root window's
// size, and its pixels copied by the server into memory shared with us.
#pragma once

#include <tether/plugin.h>
#include <xcb/shm.h>
#include <xcb/xfixes.h>
#include <xcb/xcb.h>

#include <cstdint>
#include <span>
#include <string>
#include <utility>

namespace tether::x11 {

class X11Screen {
public:
    // `display`: ":1", or empty for $DISPLAY. Throws std::runtime_error saying
    // why when the display cannot be opened or lacks MIT-SHM.
    explicit X11Screen(const std::string& display);
    ~X11Screen();
    X11Screen(const X11Screen&) = delete;
    X11Screen& operator=(const X11Screen&) = delete;

    xcb_connection_t* connection() const { return connection_; }
    xcb_window_t root() const { return root_; }
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    tether_rect bounds() const { return {0, 0, width_, height_}; }
    // The server speaks XFixes 2 or later, which damage regions and cursor images need.
    bool has_xfixes() const { return has_xfixes_; }

    // Asks the server for the screen's size; a new size gets a new shared
    // segment. True when the size changed.
    bool follow_size();
    // Copies the screen's pixels in each of `areas` (inside bounds()) into
    // `picture`, 4 bytes a pixel (B, G, R, X), `stride` bytes a row, where the
    // screen's pixel (x, y) goes to (x - origin.x, y - origin.y). False when
    // the server refused an area while the connection holds (BadMatch: the
    // screen was resized meanwhile, perhaps back to its size): the picture is
    // then incomplete, and follow_size() learns the size now.
    bool read(std::span<const tether_rect> areas, uint8_t* picture, uint32_t stride, const tether_rect& origin);

private:
    // The screen's size as the server says it now, checked against what captures can take.
    std::pair<uint32_t, uint32_t> size_now();
    void share(uint32_t width, uint32_t height);  // a segment for that size
    void unshare();

    xcb_connection_t* connection_ = nullptr;
    xcb_window_t root_ = 0;
    bool has_xfixes_ = false;
    uint32_t width_ = 0;
    uint32_t height_ = 0;
    xcb_shm_seg_t segment_ = 0;
    uint8_t* memory_ = nullptr;
    size_t size_ = 0;
};

}  // namespace tether::x11
