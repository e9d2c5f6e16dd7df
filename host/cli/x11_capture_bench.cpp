#include "x11_capture_bench.h"

#include "core/host_api.h"
#include "pipeline/plugin_choice.h"
#include "process_stats.h"
#include "screen_bench_context.h"
#include "xbench/painted_window.h"
#include "xbench/xvfb_display.h"

#include <spdlog/spdlog.h>

#include <optional>

namespace tether::cli {
namespace {

struct Change {
    const char* name;
    std::optional<tether_rect> area;  // repainted before each grab; none: an idle screen
};

// CPU of this thread in grab() alone (the repaints are the X server's work and ours, not the capturer's).
nlohmann::json measure(CaptureSource& source, const std::string& display, const Change& change, uint32_t grabs) {
    std::optional<xbench::PaintedWindow> painter;
    if (change.area) painter.emplace(display, *change.area);
    double cpu = 0;
    uint32_t pictures = 0;
    for (uint32_t n = 0; n < grabs + 3; ++n) {
        if (painter) {
            painter->fill(n % 2 == 0);
            painter->sync();
        }
        const double before = thread_cpu_seconds();
        const bool picture = source.grab().has_value();
        if (n < 3) continue;  // the first grabs allocate
        cpu += thread_cpu_seconds() - before;
        pictures += picture ? 1 : 0;
    }
    return {{"grabs", grabs}, {"pictures", pictures}, {"cpu_us_per_grab", cpu * 1e6 / grabs}};
}

}  // namespace

nlohmann::json bench_x11_capture(const GlobalOptions& global, uint32_t width, uint32_t height, uint32_t grabs) {
    const xbench::XvfbDisplay screen(width, height);
    const auto context = screen_bench_context(global, screen, width, height);
    VideoServiceOptions video = video_service_options(context->config, *context->chooser, "");
    video.capture_config.source = screen.name().c_str();
    const Change changes[] = {{"idle", std::nullopt},
                              {"small", tether_rect{100, 100, 64, 64}},
                              {"full", tether_rect{0, 0, width, height}}};
    nlohmann::json out = nlohmann::json::object();
    for (const bool damage : {true, false}) {
        set_plugin_settings({{"x11", {{"damage", damage ? "true" : "false"}}}});
        CaptureSource source(*video.capture, video.capture_config);
        for (const Change& change : changes) {
            spdlog::info("bench capture: x11 {}x{}, {} screen, damage tracking {}", width, height, change.name,
                         damage ? "on" : "off");
            out[damage ? "damage" : "no_damage"][change.name] = measure(source, screen.name(), change, grabs);
        }
    }
    return out;
}

}  // namespace tether::cli
