// The synthetic desktop: wallpaper, a taskbar with a ticking clock, a terminal
// whose text scrolls, a window being dragged and the pointer dragging it.
// Every pixel is a pure function of (frame number, picture size), so two
// sources agree exactly and tests can compare frames.
#pragma once

#include "canvas.h"

#include <cstdint>

namespace tether::synthetic {

void render_desktop(Canvas& canvas, uint64_t frame);

}  // namespace tether::synthetic
