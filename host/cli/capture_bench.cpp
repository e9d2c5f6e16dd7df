#include "capture_bench.h"

#include "pipeline/plugin_choice.h"
#include "size_option.h"
#include "x11_capture_bench.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace tether::cli {
namespace {

struct CaptureBenchOptions {
    std::string size = "1920x1080";
    uint32_t frames = 120;
    std::string capture;
};

#ifdef TETHER_DESKTOP_BENCHES
// The X11 capturer on a screen of its own, where the changes are the bench's.
int run_x11_capture_bench(const GlobalOptions& global, uint32_t width, uint32_t height, uint32_t grabs) {
    const nlohmann::json out = {{"bench", "capture"},
                                {"capture", "x11"},
                                {"width", width},
                                {"height", height},
                                {"screens", bench_x11_capture(global, width, height, grabs)}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
        return 0;
    }
    std::cout << "bench capture: x11 " << width << "x" << height << ", CPU per grab of the capturer\n";
    for (const auto& [tracking, screens] : out["screens"].items())
        for (const auto& [screen, r] : screens.items())
            std::cout << "  " << tracking << ", " << screen << " screen: " << r["cpu_us_per_grab"].get<double>()
                      << " us (" << r["pictures"] << " pictures of " << r["grabs"] << " grabs)\n";
    return 0;
}
#endif

int run_capture_bench(const GlobalOptions& global, const CaptureBenchOptions& o) {
    const auto [width, height] = parse_size(o.size);
#ifdef TETHER_DESKTOP_BENCHES
    if (o.capture == "x11") return run_x11_capture_bench(global, width, height, o.frames);
#endif
    std::map<std::string, std::string> overrides{{"capture.width", std::to_string(width)},
                                                 {"capture.height", std::to_string(height)}};
    if (!o.capture.empty()) overrides["capture.plugin"] = o.capture;
    const auto context = make_context(global, overrides);
    VideoServiceOptions video = video_service_options(context->config, *context->chooser, "");
    video.capture_config.source = video.capture_source.empty() ? nullptr : video.capture_source.c_str();
    CaptureSource source(*video.capture, video.capture_config);

    uint32_t grabbed = 0;
    uint32_t unchanged = 0;
    auto grab = [&] {
        if (source.grab()) ++grabbed;
        else if (source.ended()) throw std::runtime_error("the capture source ended after " + std::to_string(grabbed) + " pictures");
        else ++unchanged;
    };
    for (int n = 0; n < 5; ++n) grab();  // warm up: first pictures allocate
    grabbed = unchanged = 0;
    const auto start = std::chrono::steady_clock::now();
    for (uint32_t n = 0; n < o.frames; ++n) grab();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const nlohmann::json out = {{"bench", "capture"},       {"capture", video.capture->name},
                                {"width", width},           {"height", height},
                                {"grabs", o.frames},        {"pictures", grabbed},
                                {"unchanged", unchanged},   {"ms_per_grab", ms / o.frames}};
    if (global.json)
        std::cout << out.dump() << std::endl;
    else
        std::cout << "bench capture: " << video.capture->name << " " << width << "x" << height << ": "
                  << out["ms_per_grab"].get<double>() << " ms per grab (" << o.frames << " grabs)\n";
    return 0;
}

}  // namespace

void add_capture_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<CaptureBenchOptions>();
    CLI::App* cmd = bench.add_subcommand("capture", "Milliseconds per grab of the configured capturer at a size");
    cmd->add_option("--size", o->size, "Capture size WxH")->capture_default_str();
    cmd->add_option("--frames", o->frames, "Grabs to time")->check(CLI::Range(1, 100000))->capture_default_str();
    cmd->add_option("--capture", o->capture,
                    "Capture plugin (default: the config's). x11: on an Xvfb of its own, CPU per grab with damage "
                    "tracking and without, on an idle screen, a 64x64 change and a whole-screen change");
    cmd->callback([&global, &exit_code, o] { exit_code = run_capture_bench(global, *o); });
}

}  // namespace tether::cli
