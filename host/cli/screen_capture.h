// What `tether host` shares when nobody chose: the X11 screen when its
// capturer can open the display, else the configured default, with the
// reason said once.
#pragma once

#include "context.h"

namespace tether::cli {

// Leaves a capture.plugin the user set (a file, a flag) alone.
void prefer_screen_capture(Context& context);

}  // namespace tether::cli
