// What every desktop benchmark starts from: the configuration and plugins
// with the X11 capturer on the benchmark's own screen, which its capturer,
// services and probes find as a desktop session's programs do ($DISPLAY).
#pragma once

#include "context.h"
#include "xbench/xvfb_display.h"

#include <memory>

namespace tether::cli {

std::unique_ptr<Context> screen_bench_context(const GlobalOptions& global, const xbench::XvfbDisplay& screen,
                                              uint32_t width, uint32_t height);

}  // namespace tether::cli
