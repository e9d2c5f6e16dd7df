// `tether bench capture`: what one grab of the configured capturer costs
// (drawing or reading the picture, and the host buffer it lands in); for
// x11, with damage tracking and without, on screens it changes itself.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_capture_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
