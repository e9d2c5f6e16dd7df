#include "bench_command.h"

#include "core/subprocess.h"
#include "bench_rounds.h"
#include "clip_frames.h"
#include "codec_bench.h"
#include "core/temp_folder.h"
#include "capture_bench.h"
#include "desktop_bench.h"
#include "input_latency_bench.h"
#include "crypto_bench.h"
#include "login_bench.h"
#include "rendezvous_bench.h"
#include "loopback.h"
#include "connect_bench.h"
#include "relay_bench.h"
#include "pipeline/plugin_choice.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

struct PipelineBenchOptions {
    std::string clip;
    uint32_t frames = 150;
    std::string codec = "vp9";
    uint32_t rounds = 3;
};

// The bare libvpx encoder on the same frames with the same settings, in its own process.
nlohmann::json run_bare(const Context& context, const PipelineBenchOptions& o, const std::filesystem::path& y4m) {
    const auto& video = context.config.video;
    const CommandResult r = run_command({sibling_binary("tether-bench-vpx").string(), "--y4m", y4m.string(), "--codec",
                                         o.codec, "--frames", std::to_string(o.frames), "--threads",
                                         std::to_string(video.threads.value), "--speed", std::to_string(video.speed.value),
                                         "--bitrate-kbps", std::to_string(video.bitrate_kbps.value), "--fps",
                                         std::to_string(context.config.capture.fps.value)},
                                        3600s);
    if (r.exit_code != 0) throw std::runtime_error("tether-bench-vpx failed: " + r.err);
    return nlohmann::json::parse(r.out);
}

nlohmann::json run_pipeline(const Context& context, const PipelineBenchOptions& o) {
    LoopbackOptions options;
    options.video = video_service_options(context.config, *context.chooser, o.codec);
    options.video.pacing = Pacing::Lockstep;
    options.video.adapt_rate = false;  // at the bare encoder's rate, or the two would not compare
    options.transport = &choose_transport(context.config, *context.chooser);
    options.viewer.decoders = usable_decoders(context.config, *context.chooser);  // advertised, not used:
    options.viewer.decode = false;                        // the receiving end only counts
    const LoopbackResult r = run_loopback(std::move(options));
    if (!r.error.empty()) throw std::runtime_error("pipeline run failed: " + r.error);
    const double frames = static_cast<double>(r.video.encoded);
    return {{"frames", r.video.encoded},
            {"delivered", r.viewer.frames},
            {"skipped", r.video.skipped_before_encode},
            {"bytes", r.video.bytes_encoded},
            {"cpu_s", r.cpu_seconds},
            {"wall_s", r.seconds},
            {"cpu_s_per_frame", frames > 0 ? r.cpu_seconds / frames : 0.0},
            {"fps", r.seconds > 0 ? frames / r.seconds : 0.0},
            {"transport", r.transport},
            {"width", r.width},
            {"height", r.height}};
}

int run_pipeline_bench(const GlobalOptions& global, const PipelineBenchOptions& o) {
    TempFolder folder("tether-bench");
    const auto y4m = decode_clip(o.clip, o.frames, folder.path());
    const auto context = make_context(global, {{"capture.plugin", "file"}, {"capture.source", y4m.string()}});

    spdlog::info("bench: {} rounds of the bare {} encoder, then the pipeline, on {} frames", o.rounds, o.codec, o.frames);
    const auto [bare, pipeline] = cheapest_of_alternating(
        o.rounds, [&] { return run_bare(*context, o, y4m); }, [&] { return run_pipeline(*context, o); }, "cpu_s_per_frame");

    const double bare_cpu = bare["cpu_s_per_frame"].get<double>();
    const double pipe_cpu = pipeline["cpu_s_per_frame"].get<double>();
    const nlohmann::json out = {{"bench", "pipeline"},
                                {"clip", o.clip},
                                {"codec", o.codec},
                                {"frames", pipeline["frames"]},
                                {"rounds", o.rounds},
                                {"bare", bare},
                                {"pipeline", pipeline},
                                {"cpu_overhead_pct", bare_cpu > 0 ? (pipe_cpu / bare_cpu - 1.0) * 100.0 : 0.0}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        std::cout << "bench pipeline: " << o.codec << " " << pipeline["width"] << "x" << pipeline["height"] << ", "
                  << o.frames << " frames of " << o.clip << "\n"
                  << "  bare encoder: " << bare["fps"].get<double>() << " fps, " << bare_cpu * 1000 << " ms CPU/frame\n"
                  << "  pipeline:     " << pipeline["fps"].get<double>() << " fps, " << pipe_cpu * 1000
                  << " ms CPU/frame\n"
                  << "  overhead:     " << out["cpu_overhead_pct"].get<double>() << " % CPU per frame\n";
    }
    return pipeline["delivered"] == pipeline["frames"] ? 0 : 1;
}

}  // namespace

void add_bench_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks; JSON with --json");
    bench->require_subcommand(1);
    auto pipeline = std::make_shared<PipelineBenchOptions>();
    CLI::App* cmd = bench->add_subcommand(
        "pipeline", "Frames per second and CPU per frame of capture→encode→transport against the bare encoder");
    cmd->add_option("--clip", pipeline->clip, "A video file (decoded once with ffmpeg)")->required();
    cmd->add_option("--frames", pipeline->frames, "Frames of the clip to use")->check(CLI::Range(1, 100000))->capture_default_str();
    cmd->add_option("--rounds", pipeline->rounds, "Runs of each, alternating; the cheapest of each counts")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    cmd->add_option("--codec", pipeline->codec, "Video codec")->check(CLI::IsMember({"vp8", "vp9"}))->capture_default_str();
    cmd->callback([&global, &exit_code, pipeline] { exit_code = run_pipeline_bench(global, *pipeline); });
    add_codec_bench(*bench, global, exit_code);
    add_crypto_bench(*bench, global, exit_code);
    add_login_bench(*bench, global, exit_code);
    add_rendezvous_bench(*bench, global, exit_code);
    add_capture_bench(*bench, global, exit_code);
    add_relay_bench(*bench, global, exit_code);
    add_connect_bench(*bench, global, exit_code);
#ifdef TETHER_DESKTOP_BENCHES
    add_input_latency_bench(*bench, global, exit_code);
    add_desktop_bench(*bench, global, exit_code);
#endif
}

}  // namespace tether::cli
