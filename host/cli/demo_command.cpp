#include "demo_command.h"

#include "loopback.h"
#include "pipeline/plugin_choice.h"
#include "png_option.h"
#include "preset_option.h"
#include "viewer_summary.h"
#include "size_option.h"

#include "media/png_writer.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace tether::cli {
namespace {

struct DemoOptions {
    double seconds = 10;
    std::string codec;  // "": the config's preference
    std::string size;
    uint32_t fps = 0;
    std::string png;
    std::string capture;
    std::string preset;  // "": the config's video.preset
};

nlohmann::json summarize(const LoopbackResult& r) {
    nlohmann::json out = summarize_viewer(r.viewer, r.seconds, r.cpu_seconds);
    out["transport"] = r.transport;
    out["encrypted"] = r.cipher != net::cipher_name(net::Cipher::DebugPlaintext);
    out["cipher"] = r.cipher;
    out["width"] = r.width;
    out["height"] = r.height;
    out["codec"] = r.codec;
    out["captured"] = r.video.captured;
    out["encoded"] = r.video.encoded;
    out["late_capture_ticks"] = r.video.late_ticks;
    if (!r.error.empty()) out["error"] = r.error;
    return out;
}

int run_demo(const GlobalOptions& global, const DemoOptions& demo) {
    std::map<std::string, std::string> overrides;
    if (!demo.size.empty()) {
        const auto [w, h] = parse_size(demo.size);
        overrides["capture.width"] = std::to_string(w);
        overrides["capture.height"] = std::to_string(h);
    }
    if (demo.fps != 0) overrides["capture.fps"] = std::to_string(demo.fps);
    if (!demo.capture.empty()) overrides["capture.plugin"] = demo.capture;
    if (!demo.preset.empty()) overrides["video.preset"] = demo.preset;
    const auto context = make_context(global, overrides);

    LoopbackOptions options;
    options.video = video_service_options(context->config, *context->chooser, demo.codec);
    options.transport = &choose_transport(context->config, *context->chooser);
    options.viewer.decoders = usable_decoders(context->config, *context->chooser);
    options.viewer.keep_last_frame = !demo.png.empty();
    options.duration = std::chrono::milliseconds(static_cast<int64_t>(demo.seconds * 1000));

    const LoopbackResult result = run_loopback(std::move(options));
    const nlohmann::json summary = summarize(result);
    if (global.json) {
        std::cout << summary.dump() << std::endl;
    } else {
        std::cout << "tether demo over " << summary["transport"].get<std::string>() << " on 127.0.0.1\n";
        print_viewer_summary(summary);
    }

    if (!demo.png.empty()) {
        if (!result.last_frame) throw std::runtime_error("no frame was decoded, so there is no PNG to write");
        write_png(*result.last_frame, demo.png);
        spdlog::info("last decoded frame written to {}", demo.png);
    }
    if (!result.error.empty()) spdlog::error("demo ended early: {}", result.error);
    return result.error.empty() && result.viewer.frames > 0 ? 0 : 1;
}

}  // namespace

void add_demo_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto demo = std::make_shared<DemoOptions>();
    CLI::App* cmd = app.add_subcommand("demo", "Stream a desktop to a headless viewer over TCP on 127.0.0.1 and report");
    cmd->add_option("--seconds", demo->seconds, "How long to stream")->check(CLI::Range(0.1, 86400.0))->capture_default_str();
    add_preset_option(*cmd, demo->preset);
    cmd->add_option("--codec", demo->codec, "Video codec (vp8, vp9, ...) or encoder plugin name; default: the first usable of the config's [video] encoders");
    cmd->add_option("--size", demo->size, "Capture size WxH (default: the config's, 1920x1080)");
    cmd->add_option("--fps", demo->fps, "Frames per second (default: the config's, 30)")->check(CLI::Range(1, 240));
    add_png_option(*cmd, demo->png);
    cmd->add_option("--capture", demo->capture, "Capture plugin: synthetic, or another capture factory's name");
    cmd->callback([&global, &exit_code, demo] { exit_code = run_demo(global, *demo); });
}

}  // namespace tether::cli
