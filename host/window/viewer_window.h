// The viewer's window for `tether connect`: the host's pictures scaled into
// it, input and clipboard text back to the host, the host's cursor drawn over
// the picture, a statistics overlay (F10), a password prompt, and why a
// session could not start or ended, as text. Everything SDL stays behind
// this interface: a build without SDL2 (or with TETHER_VIEWER_WINDOW=OFF) and
// a machine without a display open none, and `tether connect` runs headless.
#pragma once

#include "session/viewer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tether::window {

// The key that shows and hides the statistics overlay; it is not sent to the host.
inline constexpr const char* kOverlayKeyName = "F10";
// The key that shows the host's next monitor (after the last, the whole screen again); not sent to the host.
inline constexpr const char* kMonitorKeyName = "F11";

struct WindowOptions {
    std::string address;  // the host's, as given: in the title and the password prompt
    std::string path;     // how the pictures travel, for the overlay: "tcp"
};

class ViewerWindow {
public:
    virtual ~ViewerWindow() = default;

    // A line in the middle of the window until the next picture: "connecting…", or why the session ended.
    virtual void show_status(const std::string& text) = 0;
    // Asks for the password, typed hidden, Enter submits; nullopt when the
    // window was closed or `stop()` held first.
    virtual std::optional<std::string> ask_password(const std::function<bool()>& stop) = 0;
    // Sets the viewer's callbacks to this window (an on_change already set is still called).
    // The window must outlive the viewer made with these options.
    virtual void attach_to(session::ViewerOptions& options) = 0;
    // Shows the window, and with `viewer` its session, until `done()` holds
    // (true) or the window is closed or lost (false). done() is checked at least every 100 ms.
    virtual bool run_until(const std::function<bool()>& done, session::Viewer* viewer = nullptr) = 0;
    // Why the window went away other than by a close (its display died), or nullopt.
    virtual std::optional<std::string> lost() const = 0;
};

// The window, open at once; nullptr and `why_not` when this build or this machine has none.
std::unique_ptr<ViewerWindow> open_viewer_window(const WindowOptions& options, std::string& why_not);

}  // namespace tether::window
