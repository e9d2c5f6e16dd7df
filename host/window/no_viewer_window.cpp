// A build without the viewer window (TETHER_VIEWER_WINDOW=OFF, or no SDL2).
#include "viewer_window.h"

namespace tether::window {

std::unique_ptr<ViewerWindow> open_viewer_window(const WindowOptions&, std::string& why_not) {
    why_not = TETHER_VIEWER_WINDOW_MISSING;
    return nullptr;
}

}  // namespace tether::window
