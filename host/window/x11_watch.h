// What X does to the viewer window behind SDL's back. Xlib's default
// handlers end the process: on an X error, such as BadWindow once another
// client destroyed the window (xdotool windowclose, xkill -id), and on a lost
// connection (the X server died); SDL's own error handler passes errors on to
// Xlib's. These handlers record what happened instead, for the window's loop
// to end the session as a closed window or a lost display.
#pragma once

#include <SDL2/SDL.h>

#include <optional>
#include <string>

namespace tether::window {

class X11Watch {
public:
    // Before SDL_Init: SDL's error handler passes errors on to the one it
    // found, and SDL puts that one back before it closes the display, where
    // the destroyed window's errors come once more.
    static void install_error_handlers();
    // Watches `window` when SDL drives it through X11; nothing otherwise.
    explicit X11Watch(SDL_Window* window);

    // True when the window was destroyed by another client: closed as by the user.
    bool window_gone() const;
    // Why the window can go on no more for another reason (its display went away), or nullopt.
    std::optional<std::string> failure() const;
    // True when `event` is X's word that the window was destroyed (SDL_SYSWMEVENT, enabled here).
    bool says_destroyed(const SDL_Event& event) const;

private:
    unsigned long window_ = 0;  // the X window's id; 0 off X11
};

}  // namespace tether::window
