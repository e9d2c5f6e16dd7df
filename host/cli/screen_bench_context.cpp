#include "screen_bench_context.h"

#include <cstdlib>

namespace tether::cli {

std::unique_ptr<Context> screen_bench_context(const GlobalOptions& global, const xbench::XvfbDisplay& screen,
                                              uint32_t width, uint32_t height) {
    setenv("DISPLAY", screen.name().c_str(), 1);
    return make_context(global, {{"capture.plugin", "x11"},
                                 {"capture.source", screen.name()},
                                 {"capture.width", std::to_string(width)},
                                 {"capture.height", std::to_string(height)}});
}

}  // namespace tether::cli
