#include "input_latency_bench.h"

#include "loopback.h"
#include "screen_bench_context.h"
#include "pipeline/plugin_choice.h"
#include "size_option.h"
#include "stop_signal.h"
#include "xbench/key_painter.h"
#include "xbench/xvfb_display.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <random>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kKeysym = 0x61;  // 'a': on every keymap
constexpr auto kKeyAnswered = 2s;   // past it a key counts as lost

struct InputLatencyOptions {
    uint32_t keys = 200;
    std::string size = "1920x1080";
    std::string codec = "vp9";
};

// What the viewer sees of the painted square: its colour in the latest picture, and when that came.
struct Watch {
    tether_rect area{};
    std::atomic<int> white{-1};  // -1 until a picture shows it
    std::atomic<int64_t> changed_at_ns{0};

    void look(const tether_video_frame& picture) {
        if (picture.format != TETHER_PIXEL_I420) return;
        const uint32_t x = static_cast<uint32_t>(area.x) + area.width / 2;
        const uint32_t y = static_cast<uint32_t>(area.y) + area.height / 2;
        if (x >= picture.width || y >= picture.height) return;
        const int now_white = picture.planes[0][static_cast<size_t>(y) * picture.strides[0] + x] > 128 ? 1 : 0;
        if (white.exchange(now_white) != now_white)
            changed_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    }
};

proto::InputEvent key(bool down) {
    proto::InputEvent event;
    event.mutable_key()->set_keysym(kKeysym);
    event.mutable_key()->set_down(down);
    return event;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const size_t at = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(values.size())));
    return values[at];
}

// Presses `keys` keys one after another, each once the last one's repaint was seen (or lost).
nlohmann::json press_and_watch(session::Viewer& viewer, Watch& watch, uint32_t keys) {
    std::vector<double> latencies_ms;
    uint32_t lost = 0;
    wait_until(Clock::now() + 10s, [&] { return watch.white >= 0 || viewer.ended(); });
    std::mt19937 random(7);
    std::uniform_int_distribution<int> pause_ms(20, 60);  // off the capture's tick, as a person types
    for (uint32_t n = 0; n < keys && !viewer.ended() && !stop_requested(); ++n) {
        const int expected = watch.white == 1 ? 0 : 1;
        const auto t0 = Clock::now();
        viewer.send_input(key(true));
        viewer.send_input(key(false));
        const bool seen = wait_until(t0 + kKeyAnswered, [&] { return watch.white == expected || viewer.ended(); }) &&
                          watch.white == expected;
        if (seen) {
            const auto t1 = Clock::time_point(std::chrono::nanoseconds(watch.changed_at_ns.load()));
            latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else {
            ++lost;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    }
    return {{"keys", latencies_ms.size() + lost},
            {"lost", lost},
            {"p50_ms", percentile(latencies_ms, 50)},
            {"p99_ms", percentile(latencies_ms, 99)},
            {"max_ms", percentile(latencies_ms, 100)}};
}

nlohmann::json measure(const Context& context, const xbench::XvfbDisplay& display, Pacing pacing,
                       const InputLatencyOptions& o) {
    const auto width = static_cast<int32_t>(context.config.capture.width.value);
    const auto height = static_cast<int32_t>(context.config.capture.height.value);
    Watch watch;
    watch.area = {width / 4, height / 4, 64, 64};
    const xbench::KeyPainter painter(display.name(), watch.area);

    LoopbackOptions options;
    options.video = video_service_options(context.config, *context.chooser, o.codec);
    options.video.pacing = pacing;
    options.transport = &choose_transport(context.config, *context.chooser);
    options.viewer.decoders = usable_decoders(context.config, *context.chooser);
    options.viewer.on_picture = [&watch](const tether_video_frame& picture, session::Screen, int64_t) { watch.look(picture); };
    options.permissions = session::kView | session::kInput;
    options.services = {&context.chooser->first(TETHER_KIND_SERVICE, {{"x11-input", Source{"bench input-latency"}}})};
    nlohmann::json result;
    options.drive = [&](session::Viewer& viewer, const std::string&) { result = press_and_watch(viewer, watch, o.keys); };
    const LoopbackResult r = run_loopback(std::move(options));
    if (!r.error.empty()) throw std::runtime_error("the session ended early: " + r.error);
    result["painted"] = painter.keys();
    return result;
}

int run_input_latency_bench(const GlobalOptions& global, const InputLatencyOptions& o) {
    const auto [width, height] = parse_size(o.size);
    const xbench::XvfbDisplay display(width, height);
    const auto context = screen_bench_context(global, display, width, height);
    spdlog::info("bench input-latency: {} keys at {}x{} over {}, grabbed on change, then on a fixed tick", o.keys,
                 width, height, o.codec);
    const nlohmann::json on_change = measure(*context, display, Pacing::RealTime, o);
    const nlohmann::json fixed_tick = measure(*context, display, Pacing::FixedTick, o);
    const nlohmann::json out = {{"bench", "input-latency"}, {"codec", o.codec},      {"width", width},
                                {"height", height},         {"fps", context->config.capture.fps.value},
                                {"on_change", on_change},   {"fixed_tick", fixed_tick}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        auto line = [](const char* name, const nlohmann::json& r) {
            std::cout << "  " << name << r["p50_ms"].get<double>() << " ms p50, " << r["p99_ms"].get<double>()
                      << " ms p99 over " << r["keys"] << " keys (" << r["lost"] << " lost)\n";
        };
        std::cout << "bench input-latency: key to decoded picture, " << o.codec << " " << width << "x" << height << "\n";
        line("grabbed on change: ", on_change);
        line("fixed tick:        ", fixed_tick);
    }
    return on_change["lost"] == 0 && fixed_tick["lost"] == 0 ? 0 : 1;
}

}  // namespace

void add_input_latency_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<InputLatencyOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "input-latency",
        "Key to picture: on an Xvfb of its own, the viewer presses a key, a window there repaints, and the viewer "
        "times the repaint's arrival in a decoded picture; p50/p99 with the capture grabbing on change and on a "
        "fixed tick (needs Xvfb and the x11 capture and x11-input plugins)");
    cmd->add_option("--keys", o->keys, "Keys pressed per run")->check(CLI::Range(10, 100000))->capture_default_str();
    cmd->add_option("--size", o->size, "Screen size WxH")->capture_default_str();
    cmd->add_option("--codec", o->codec, "Video codec or encoder")->capture_default_str();
    cmd->callback([&global, &exit_code, o] { exit_code = run_input_latency_bench(global, *o); });
}

}  // namespace tether::cli
