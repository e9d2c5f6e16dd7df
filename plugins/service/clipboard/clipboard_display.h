// The service's own X connection: a hidden window to own selections and take
// their conversions on, the atoms the selection protocol (ICCCM) names, and
// XFixes, which tells us when a selection changes owner.
#pragma once

#include <xcb/xcb.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace tether::clipboard {

// What XCB allocated (a reply, an event), freed when it goes.
template <typename T>
using XcbOwned = std::unique_ptr<T, decltype(&std::free)>;
template <typename T>
XcbOwned<T> owned(T* allocated) {
    return {allocated, &std::free};
}

struct Atoms {
    xcb_atom_t clipboard;
    xcb_atom_t primary;
    xcb_atom_t targets;
    xcb_atom_t timestamp;
    xcb_atom_t utf8_string;
    xcb_atom_t text;
    xcb_atom_t text_plain_utf8;  // text/plain;charset=utf-8
    xcb_atom_t incr;
    xcb_atom_t stamp;  // a property of our window, touched to learn the server's time
};

class ClipboardDisplay {
public:
    // `name`: ":1", or empty for $DISPLAY. Throws std::runtime_error saying why
    // when the display cannot be opened or lacks XFixes.
    explicit ClipboardDisplay(const std::string& name);
    xcb_connection_t* connection() const { return connection_.get(); }
    xcb_window_t window() const { return window_; }  // unmapped; we hear its property changes
    const Atoms& atoms() const { return atoms_; }
    uint8_t xfixes_first_event() const { return xfixes_first_event_; }
    // The most text one ChangeProperty request carries: the core protocol's
    // request limit, as the clients reading it expect (ICCCM), less the header.
    size_t max_chunk() const { return max_chunk_; }
    const std::string& name() const { return name_; }  // for log lines
    // "CLIPBOARD" or "PRIMARY", for log lines.
    const char* name_of(xcb_atom_t selection) const {
        return selection == atoms_.clipboard ? "CLIPBOARD" : "PRIMARY";
    }

    // Asks XFixes for owner changes of `selection`; returns once the server has done so.
    void watch(xcb_atom_t selection) const;

private:
    xcb_atom_t intern(const char* name) const;

    std::string name_;
    std::unique_ptr<xcb_connection_t, decltype(&xcb_disconnect)> connection_{nullptr, &xcb_disconnect};
    xcb_window_t window_ = 0;
    Atoms atoms_{};
    uint8_t xfixes_first_event_ = 0;
    size_t max_chunk_ = 0;
};

}  // namespace tether::clipboard
