#include "x11_watch.h"

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace tether::window {
namespace {

// Xlib's handlers are the process's, not a window's: what they saw lives here.
std::atomic<unsigned long> watched{0};
std::atomic<bool> destroyed{false};
std::mutex failure_lock;
std::optional<std::string> first_failure;

void fail(const std::string& why) {
    const std::lock_guard lock(failure_lock);
    if (!first_failure) first_failure = why;
}

int on_error(Display*, XErrorEvent* e) {
    // A window another client destroyed refuses every later request on it.
    if (e->resourceid == watched && (e->error_code == BadWindow || e->error_code == BadDrawable)) {
        destroyed = true;
        return 0;
    }
    fail("the X server refused a request (X error " + std::to_string(e->error_code) + ", request " +
         std::to_string(e->request_code) + "." + std::to_string(e->minor_code) + ")");
    return 0;
}

// Xlib's default prints a message of its own; the session's log says it instead.
int on_io_error(Display*) { return 0; }

// Returning keeps the process (libX11 1.7 and later): Xlib calls on the dead
// connection then fail, and the window's loop ends the session.
void on_io_exit(Display*, void*) { fail("the X display went away"); }

}  // namespace

void X11Watch::install_error_handlers() {
    XSetErrorHandler(on_error);
    XSetIOErrorHandler(on_io_error);
}

X11Watch::X11Watch(SDL_Window* window) {
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(window, &info) || info.subsystem != SDL_SYSWM_X11) return;
    window_ = info.info.x11.window;
    watched = window_;
    display_ = info.info.x11.display;
    XSetIOErrorExitHandler(display_, on_io_exit, nullptr);
    SDL_EventState(SDL_SYSWMEVENT, SDL_ENABLE);
    // Without one the window's thread waits in SDL, as off X11.
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

X11Watch::~X11Watch() {
    if (wake_fd_ >= 0) close(wake_fd_);
}

void X11Watch::wait(int timeout_ms) const {
    // Events a reply brought in meanwhile are queued in Xlib already, not on the connection.
    if (XPending(display_) == 0) {
        pollfd fds[] = {{ConnectionNumber(display_), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        poll(fds, 2, timeout_ms);
    }
    uint64_t count = 0;
    // Nonblocking: an unwoken counter just answers EAGAIN.
    [[maybe_unused]] const ssize_t got = read(wake_fd_, &count, sizeof count);
}

void X11Watch::wake() const {
    if (wake_fd_ < 0) return;
    const uint64_t one = 1;
    // A full counter wakes the thread already: nothing to do when the write fails.
    [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
}

bool X11Watch::window_gone() const { return window_ != 0 && destroyed; }

std::optional<std::string> X11Watch::failure() const {
    const std::lock_guard lock(failure_lock);
    return first_failure;
}

bool X11Watch::says_destroyed(const SDL_Event& event) const {
    if (event.type != SDL_SYSWMEVENT || event.syswm.msg->subsystem != SDL_SYSWM_X11) return false;
    const XEvent& x = event.syswm.msg->msg.x11.event;
    return x.type == DestroyNotify && x.xdestroywindow.window == window_;
}

}  // namespace tether::window
