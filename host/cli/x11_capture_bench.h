// `tether bench capture --capture x11`: CPU per grab of the X11 capturer on an
// Xvfb of its own, with damage tracking and without, on an idle screen, a
// small change and a whole-screen change.
#pragma once

#include "context.h"

#include <nlohmann/json.hpp>

namespace tether::cli {

nlohmann::json bench_x11_capture(const GlobalOptions& global, uint32_t width, uint32_t height, uint32_t grabs);

}  // namespace tether::cli
