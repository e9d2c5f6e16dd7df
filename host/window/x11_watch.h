// What X does to the viewer window behind SDL's back. Xlib's default
// handlers end the process: on an X error, such as BadWindow once another
// client destroyed the window (xdotool windowclose, xkill -id), and on a lost
// connection (the X server died); SDL's own error handler passes errors on to
// Xlib's. These handlers record what happened instead, for the window's loop
// to end the session as a closed window or a lost display. On X11 the
// window's thread also waits for SDL's events here (wait()), so that no
// other thread ever makes an X call.
#pragma once

#include <SDL2/SDL.h>

#include <optional>
#include <string>

struct _XDisplay;  // Xlib's Display

namespace tether::window {

class X11Watch {
public:
    // Before SDL_Init: SDL's error handler passes errors on to the one it
    // found, and SDL puts that one back before it closes the display, where
    // the destroyed window's errors come once more.
    static void install_error_handlers();
    // Watches `window` when SDL drives it through X11; nothing otherwise.
    explicit X11Watch(SDL_Window* window);
    ~X11Watch();
    X11Watch(const X11Watch&) = delete;
    X11Watch& operator=(const X11Watch&) = delete;

    // True when the window was destroyed by another client: closed as by the user.
    bool window_gone() const;
    // Why the window can go on no more for another reason (its display went away), or nullopt.
    std::optional<std::string> failure() const;
    // True when `event` is X's word that the window was destroyed (SDL_SYSWMEVENT, enabled here).
    bool says_destroyed(const SDL_Event& event) const;

    // Whether the window's thread waits with wait() instead of SDL_WaitEventTimeout.
    // SDL's own wait is woken by the thread that calls SDL_PushEvent, with an X
    // request on a second connection SDL keeps for that; once the display is gone,
    // Xlib's default exit handler there (only the window's connection has this
    // one's) calls exit() from that thread while the window's thread goes on:
    // a crash, or a hang in exit().
    bool waits() const { return wake_fd_ >= 0; }
    // [window's thread] Until X has something for SDL, wake() is called or `timeout_ms` passes.
    void wait(int timeout_ms) const;
    // [any thread] Ends the wait, or the next one.
    void wake() const;

private:
    unsigned long window_ = 0;      // the X window's id; 0 off X11
    _XDisplay* display_ = nullptr;  // SDL's connection, on X11
    int wake_fd_ = -1;              // an eventfd, on X11
};

}  // namespace tether::window
