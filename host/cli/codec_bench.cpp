#include "codec_bench.h"

#include "bench_rounds.h"
#include "bitrate_search.h"
#include "clip_frames.h"
#include "codec_bench_table.h"
#include "codec_encode_child.h"
#include "core/message_text.h"
#include "core/subprocess.h"
#include "core/temp_folder.h"
#include "ffmpeg_encoder.h"
#include "stream_file.h"
#include "stream_quality.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

struct CodecBenchOptions {
    std::string clip;
    uint32_t frames = 300;
    uint32_t rounds = 3;
    std::vector<std::string> encoders;  // empty: `[video] encoders`
    std::optional<uint32_t> bitrate_kbps;
    std::optional<int32_t> speed;
    std::optional<double> psnr;  // also search each side's bitrate for this PSNR
};

// The bitrates --psnr searches between.
constexpr uint32_t lowest_searched_kbps = 16;
constexpr uint32_t highest_searched_kbps = 16000;

// What both sides are asked for: the options, else `[video]`.
struct Asked {
    uint32_t bitrate_kbps;
    uint32_t threads;
    int32_t speed;
};

Asked asked(const CodecBenchOptions& o, const Config& config) {
    return {o.bitrate_kbps.value_or(static_cast<uint32_t>(config.video.bitrate_kbps.value)),
            static_cast<uint32_t>(config.video.threads.value),
            o.speed.value_or(static_cast<int32_t>(config.video.speed.value))};
}

// Per-frame and per-second figures of a run over `frames` frames at `fps`.
nlohmann::json with_rates(nlohmann::json run, uint64_t frames, uint32_t fps) {
    const double n = static_cast<double>(frames);
    const double bytes_per_frame = run["bytes"].get<double>() / n;
    run["frames"] = frames;
    run["fps"] = n / run["wall_s"].get<double>();
    run["cpu_s_per_frame"] = run["cpu_s"].get<double>() / n;
    run["cpu_ms_per_frame"] = run["cpu_s"].get<double>() / n * 1000;
    run["kbps"] = bytes_per_frame * 8 * fps / 1000;
    run["KB_per_s"] = bytes_per_frame * fps / 1000;
    return run;
}

class EncoderBench {
public:
    EncoderBench(const GlobalOptions& global, const Factory& encoder, const Asked& asked,
                 const std::filesystem::path& y4m, const std::filesystem::path& folder)
        : global_(global), name_(encoder.name), codec_(codec_of(encoder)), asked_(asked), y4m_(y4m),
          ours_stream_(folder / (name_ + "." + StreamFile::extension(codec_))),
          ffmpeg_stream_(folder / (name_ + "-ffmpeg." + StreamFile::extension(codec_))) {}

    nlohmann::json run(uint32_t rounds) {
        const auto [ours, theirs] = cheapest_of_alternating(
            rounds, [&] { return run_ours(asked_.bitrate_kbps); }, [&] { return run_ffmpeg(*ffmpeg_); },
            "cpu_s_per_frame");
        return {{"encoder", name_},
                {"codec", codec_},
                {"settings", *settings_},
                {"ffmpeg_encoder", ffmpeg_->name},
                {"ffmpeg_arguments", ffmpeg_->arguments},
                {"settings_differences", ffmpeg_->differences},
                {"ours", ours},
                {"ffmpeg", theirs},
                {"fps_ratio", ours["fps"].get<double>() / theirs["fps"].get<double>()},
                {"cpu_ratio", ours["cpu_s_per_frame"].get<double>() / theirs["cpu_s_per_frame"].get<double>()},
                {"kbps_ratio", ours["kbps"].get<double>() / theirs["kbps"].get<double>()},
                {"psnr_difference_db", ours["psnr"].get<double>() - theirs["psnr"].get<double>()}};
    }

    // Each side's lowest bitrate that reaches `target_db`, one run a step.
    nlohmann::json at_psnr(double target_db) {
        const auto found = [&](const std::optional<RateForQuality>& r) -> nlohmann::json {
            if (!r) return {{"reached", false}};
            nlohmann::json out = r->run;
            out["reached"] = true;
            out["bitrate_kbps"] = r->bitrate_kbps;
            return out;
        };
        const nlohmann::json ours = found(bitrate_for_psnr(
            target_db, [&](uint32_t kbps) { return run_ours(kbps); }, lowest_searched_kbps, highest_searched_kbps));
        const nlohmann::json theirs = found(bitrate_for_psnr(
            target_db,
            [&](uint32_t kbps) {
                EncoderSettings at = *settings_;
                at.bitrate_kbps = kbps;
                return run_ffmpeg(ffmpeg_encoder(codec_, at));
            },
            lowest_searched_kbps, highest_searched_kbps));
        nlohmann::json out = {{"target_psnr", target_db}, {"ours", ours}, {"ffmpeg", theirs}};
        if (ours["reached"] && theirs["reached"])
            out["kbps_ratio"] = ours["kbps"].get<double>() / theirs["kbps"].get<double>();
        return out;
    }

private:
    // In a child process, so that its CPU is the encoder's alone.
    nlohmann::json run_ours(uint32_t bitrate_kbps) {
        std::vector<std::string> argv = {sibling_binary("tether").string()};
        if (global_.config_file) argv.insert(argv.end(), {"--config", *global_.config_file});
        argv.insert(argv.end(), {"bench", "codec-encode", "--encoder", name_, "--y4m", y4m_.string(), "--stream",
                                 ours_stream_.string(), "--bitrate-kbps", std::to_string(bitrate_kbps),
                                 "--threads", std::to_string(asked_.threads), "--speed", std::to_string(asked_.speed)});
        const CommandResult r = run_command(argv, 3600s);
        if (r.exit_code != 0) throw std::runtime_error(name_ + " failed to encode the clip: " + r.err);
        const nlohmann::json run = nlohmann::json::parse(r.out);
        settings_ = run["settings"].get<EncoderSettings>();
        frames_ = run["frames"].get<uint64_t>();
        if (!ffmpeg_) ffmpeg_ = ffmpeg_encoder(codec_, *settings_);
        return judged({{"bytes", run["bytes"]}, {"cpu_s", run["cpu_s"]}, {"wall_s", run["wall_s"]}}, ours_stream_);
    }

    nlohmann::json run_ffmpeg(const FfmpegEncoder& encoder) {
        nlohmann::json run = ffmpeg_encode(encoder, codec_, settings_->threads, y4m_, ffmpeg_stream_);
        run["bytes"] = std::filesystem::file_size(ffmpeg_stream_) - StreamFile::container_bytes(codec_, frames_);
        return judged(std::move(run), ffmpeg_stream_);
    }

    // A run's rates and its own stream's quality: libx264's sliced threads
    // write a slightly different stream each run, so bytes and PSNR go together.
    nlohmann::json judged(nlohmann::json run, const std::filesystem::path& stream) const {
        run.update(stream_quality(stream, y4m_));
        return with_rates(std::move(run), frames_, settings_->fps);
    }

    const GlobalOptions& global_;
    const std::string name_;
    const std::string codec_;
    const Asked asked_;
    const std::filesystem::path y4m_;
    const std::filesystem::path ours_stream_;
    const std::filesystem::path ffmpeg_stream_;
    // Known after our encoder's first run: what its defaults came to.
    std::optional<EncoderSettings> settings_;
    std::optional<FfmpegEncoder> ffmpeg_;
    uint64_t frames_ = 0;
};

// What ffmpeg spends reading the .y4m, part of its figures and not of ours:
// the cheapest of `rounds` runs, a frame.
nlohmann::json cheapest_read(uint32_t rounds, const std::filesystem::path& y4m, uint64_t frames) {
    nlohmann::json best;
    for (uint32_t round = 0; round < rounds; ++round) {
        nlohmann::json run = ffmpeg_read(y4m);
        if (best.is_null() || run["cpu_s"].get<double>() < best["cpu_s"].get<double>()) best = std::move(run);
    }
    const double n = static_cast<double>(frames);
    return {{"cpu_ms_per_frame", best["cpu_s"].get<double>() / n * 1000},
            {"wall_ms_per_frame", best["wall_s"].get<double>() / n * 1000}};
}

// `[video] encoders`, then every other encoder of their codecs (the hardware
// ones among them, skipped with their probe's reason where they cannot run).
Names encoder_names(const CodecBenchOptions& o, const Config& config, const PluginChooser& chooser) {
    Names names;
    if (o.encoders.empty()) {
        names = config.video.encoders;
        for (const Factory* f : chooser.candidates(TETHER_KIND_ENCODER, config.video.encoders))
            names.push_back({codec_of(*f), Source{"--encoders"}});
        return names;
    }
    for (const std::string& name : o.encoders) {
        if (chooser.candidates(TETHER_KIND_ENCODER, {{name, Source{}}}).empty()) {
            std::vector<std::string> known;
            for (const Factory* f : chooser.registry().of_kind(TETHER_KIND_ENCODER))
                known.push_back(f->name + " (" + codec_of(*f) + ")");
            throw UsageError("--encoders " + name + ": no encoder or codec of that name here; known: " +
                             join_names(known));
        }
        names.push_back({name, Source{"--encoders"}});
    }
    return names;
}

int run_codec_bench(const GlobalOptions& global, const CodecBenchOptions& o) {
    TempFolder folder("tether-bench-codecs");
    const auto y4m = decode_clip(o.clip, o.frames, folder.path());
    const auto context = make_context(global, {});
    nlohmann::json encoders = nlohmann::json::array();
    nlohmann::json skipped = nlohmann::json::array();
    nlohmann::json failed = nlohmann::json::array();  // an encoder refusing the clip costs the others nothing
    for (const Factory* factory : context->chooser->candidates(TETHER_KIND_ENCODER, encoder_names(o, context->config, *context->chooser))) {
        const ProbeResult probe = context->chooser->probe(*factory);
        if (!probe.ok) {
            skipped.push_back({{"encoder", factory->name}, {"reason", probe.reason}});
            continue;
        }
        spdlog::info("bench codecs: {} against ffmpeg, {} rounds", factory->name, o.rounds);
        try {
            EncoderBench bench(global, *factory, asked(o, context->config), y4m, folder.path());
            nlohmann::json entry = bench.run(o.rounds);
            if (o.psnr) entry["at_psnr"] = bench.at_psnr(*o.psnr);
            encoders.push_back(std::move(entry));
        } catch (const std::runtime_error& e) {
            spdlog::error("bench codecs: {}", e.what());
            failed.push_back({{"encoder", factory->name}, {"reason", e.what()}});
        }
    }
    nlohmann::json out = {{"bench", "codecs"}, {"clip", o.clip},         {"rounds", o.rounds},
                          {"encoders", encoders}, {"skipped", skipped}, {"failed", failed}};
    if (!encoders.empty())
        out["ffmpeg_read"] = cheapest_read(o.rounds, y4m, encoders[0]["ours"]["frames"].get<uint64_t>());
    if (global.json)
        std::cout << out.dump() << std::endl;
    else
        print_codec_table(std::cout, out);
    return encoders.empty() || !failed.empty() ? 1 : 0;
}

const char* const help =
    "What it measures: each encoder plugin against ffmpeg's own encoder for its codec (libvpx, libvpx-vp9, "
    "libaom-av1, libx264), set as the plugin sets its library: the speed, bitrate, threads and rate control the "
    "plugin reports it resolved (CBR, no lag, no dropped frames, screen tuning, no periodic keyframes); --json "
    "lists ffmpeg's arguments and each setting ffmpeg 5.1 cannot match (VP9 speed 9: it stops at 8).\n"
    "How: the clip is decoded once to .y4m at its size and frame rate, and both sides encode those frames. Ours "
    "runs in a child process (`bench codec-encode`) through the host's Encoder wrapper with every frame in memory; "
    "ffmpeg runs with -benchmark. The two alternate for --rounds rounds and the cheapest run of each counts, since "
    "other load only adds.\n"
    "The numbers: fps is frames over wall time, encoder creation included on both sides (ffmpeg's also include "
    "reading the .y4m: the line ffmpeg_read says how much). CPU ms/frame is the process's user + system time "
    "over the frames (getrusage; ffmpeg's utime + stime). kbps and KB/s are the stream's bytes, without "
    "container, at the clip's frame rate. PSNR is the Y/U/V average ffmpeg's psnr filter reports (worst: that of "
    "the worst frame, where a change left uncoded shows; PSNR-Y: luma alone) and SSIM its ssim filter's All, each "
    "stream decoded by ffmpeg and compared frame by frame with the source. fps_ratio above 1: ours is faster; "
    "kbps_ratio below 1: ours needs fewer bytes. Encoders whose probe fails (no GPU) are listed as skipped with "
    "the reason; one that fails on the clip (H.264 refuses an odd width) as failed with its error, the others "
    "measured all the same (exit 1).\n"
    "Equal quality: CBR encoders seldom land on the same PSNR at the same bitrate, so --psnr D then searches, "
    "for each side apart, the lowest bitrate asked whose PSNR reaches D dB (bisection, one run a step; at_psnr "
    "in --json), and compares the KB/s each needs.";

}  // namespace

void add_codec_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<CodecBenchOptions>();
    CLI::App* cmd = bench.add_subcommand("codecs", "Our encoder plugins against ffmpeg's encoders: fps, CPU, KB/s, PSNR, SSIM");
    cmd->footer(help);
    cmd->add_option("--clip", o->clip, "A video file (decoded once with ffmpeg, at its size and frame rate)")
        ->required();
    cmd->add_option("--frames", o->frames, "Frames of the clip to use")->check(CLI::Range(1, 100000))->capture_default_str();
    cmd->add_option("--rounds", o->rounds, "Runs of each side, alternating; the cheapest of each counts")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    cmd->add_option("--encoders", o->encoders, "Encoders or codecs to measure (default: [video] encoders)")
        ->delimiter(',');
    cmd->add_option("--bitrate-kbps", o->bitrate_kbps,
                    "Bitrate for both sides (default: [video] bitrate_kbps; 0 = each encoder's default for the size)")
        ->check(CLI::Range(0, 1'000'000));
    cmd->add_option("--speed", o->speed, "Encoder speed for both sides (default: [video] speed; -1 = the plugin's)");
    cmd->add_option("--psnr", o->psnr,
                    "Also find, for each side, the lowest bitrate whose PSNR reaches this (dB), by bisection "
                    "between 16 and 16000 kbit/s, one run a step")
        ->check(CLI::Range(10.0, 99.0));
    cmd->callback([&global, &exit_code, o] { exit_code = run_codec_bench(global, *o); });
    add_codec_encode_child(bench, global, exit_code);
}

}  // namespace tether::cli
