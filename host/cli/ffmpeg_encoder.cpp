#include "ffmpeg_encoder.h"

#include "core/subprocess.h"
#include "realtime_config.h"
#include "stream_file.h"

#include <algorithm>
#include <array>
#include <bit>
#include <regex>
#include <stdexcept>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

// No periodic keyframes, as every plugin: a GOP longer than any benchmark.
const std::string no_periodic_keyframes = "1000000";

std::string kbps(uint64_t value) {
    return std::to_string(value) + "k";
}

// One tile column per thread as a power of two, as codec-vpx and codec-aom.
std::string tile_columns_log2(uint32_t threads) {
    return std::to_string(std::bit_width(threads) - 1);
}

// The libvpx and libaom rate control every plugin shares (codec/common
// realtime_config.h): CBR (ffmpeg's is minrate = maxrate = bitrate), a 1 s
// buffer, 500 ms at the start, quantizer 2 to 52, no lag, no dropped frames.
// The keyframe cap is added by each (libaom's goes through -aom-params).
std::vector<std::string> realtime_rate_control(const EncoderSettings& s, uint32_t max_quantizer) {
    const std::string rate = kbps(s.bitrate_kbps);
    return {"-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate, "-rc_init_occupancy",
            kbps(s.bitrate_kbps / 2), "-qmin", "2", "-qmax", std::to_string(max_quantizer), "-lag-in-frames", "0",
            "-drop-threshold", "0", "-g", no_periodic_keyframes};
}

// The settings as the plugins' shared rules take them.
tether_encoder_config tether_config(const EncoderSettings& s) {
    return {.struct_size = sizeof(tether_encoder_config),
            .width = s.width,
            .height = s.height,
            .fps = s.fps,
            .bitrate_kbps = s.bitrate_kbps,
            .threads = s.threads,
            .speed = s.speed};
}

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// ffmpeg computes the optimal buffer level itself, as 5/6 of the buffer.
const std::string optimal_buffer = "rc_buf_optimal_sz 833 ms (ours 600): ffmpeg derives it from -bufsize";

// ffmpeg 5.1 takes libvpx-vp9's cpu-used in -8 to 8 only (libvpx: -9 to 9), and has no
// way around it: a faster VP9 is compared with ffmpeg's fastest, and said so.
constexpr int32_t ffmpeg_max_vp9_speed = 8;

FfmpegEncoder vpx(const std::string& codec, const EncoderSettings& s) {
    const int32_t speed = codec == "vp9" ? std::clamp(s.speed, -ffmpeg_max_vp9_speed, ffmpeg_max_vp9_speed) : s.speed;
    const std::vector<std::string> common = {"-deadline", "realtime", "-cpu-used", std::to_string(speed),
                                             "-error-resilient", "0", "-max-intra-rate",
                                             std::to_string(codec::max_keyframe_percent(tether_config(s)))};
    if (codec == "vp8") {
        return {"libvpx",
                joined(joined(common, realtime_rate_control(s, 56)),
                       {"-undershoot-pct", "100", "-overshoot-pct", "15", "-slices", std::to_string(s.threads)}),
                {optimal_buffer, "screen-content-mode 1: ffmpeg 5.1 has no option for it"}};
    }
    return {"libvpx-vp9",
            joined(joined(common, realtime_rate_control(s, 52)),
                   {"-undershoot-pct", "50", "-overshoot-pct", "50", "-tune-content", "screen", "-row-mt", "1",
                    "-tile-columns", tile_columns_log2(s.threads), "-aq-mode", "0"}),
            speed == s.speed ? std::vector{optimal_buffer}
                             : std::vector{optimal_buffer, "cpu-used " + std::to_string(s.speed) +
                                                               ": ffmpeg 5.1 allows -8 to 8, so it runs " +
                                                               std::to_string(speed)}};
}

FfmpegEncoder aom(const EncoderSettings& s) {
    // ffmpeg 5.1 caps -cpu-used at 8; libaom's own option takes realtime's 7 to 10.
    return {"libaom-av1",
            joined(realtime_rate_control(s, 52),
                   {"-usage", "realtime", "-undershoot-pct", "50", "-overshoot-pct", "50", "-error-resilience", "0",
                    "-row-mt", "1", "-tile-columns", tile_columns_log2(s.threads), "-aq-mode", "3", "-enable-palette",
                    "1", "-enable-intrabc", "1", "-aom-params",
                    "cpu-used=" + std::to_string(s.speed) + ":tune-content=screen:max-intra-rate=" +
                        std::to_string(codec::max_keyframe_percent(tether_config(s)))}),
            {optimal_buffer}};
}

FfmpegEncoder x264(const EncoderSettings& s) {
    // codec-x264's presets by speed, fastest highest (x264_settings preset_of).
    static constexpr std::array<const char*, 10> presets{"placebo", "veryslow", "slower", "slow",      "medium",
                                                         "fast",    "faster",   "veryfast", "superfast", "ultrafast"};
    const std::string preset = presets.at(static_cast<size_t>(std::clamp(s.speed, 0, 9)));
    const std::string rate = kbps(s.bitrate_kbps);
    // A VBV of what a keyframe may take, as codec-x264's.
    const std::string vbv = kbps(std::max<uint64_t>(1, uint64_t{s.bitrate_kbps} * codec::most_keyframe_ms / 1000));
    return {"libx264",
            {"-preset", preset, "-tune", "zerolatency", "-profile:v", "high", "-b:v", rate, "-maxrate", rate,
             "-bufsize", vbv, "-bf", "0", "-x264-params", "keyint=infinite:scenecut=0:sliced-threads=1:intra-refresh=0"},
            {}};
}

double seconds_after(const std::string& text, const std::string& key) {
    const std::regex pattern(key + R"(=([0-9.]+)s)");
    std::smatch m;
    if (!std::regex_search(text, m, pattern)) throw std::runtime_error("ffmpeg -benchmark printed no " + key);
    return std::stod(m[1].str());
}

// ffmpeg reading `y4m` and then doing what `output` says, under -benchmark: {cpu_s, wall_s}.
nlohmann::json benchmarked(const std::filesystem::path& y4m, const std::vector<std::string>& output,
                           const std::string& what) {
    std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-benchmark", "-i", y4m.string()};
    argv.insert(argv.end(), output.begin(), output.end());
    const CommandResult r = run_command(argv, 3600s);
    if (r.exit_code != 0) throw std::runtime_error(what + " in ffmpeg failed: " + r.err);
    const std::string text = r.out + r.err;
    return {{"cpu_s", seconds_after(text, "utime") + seconds_after(text, "stime")},
            {"wall_s", seconds_after(text, "rtime")}};
}

}  // namespace

FfmpegEncoder ffmpeg_encoder(const std::string& codec, const EncoderSettings& settings) {
    if (codec == "vp8" || codec == "vp9") return vpx(codec, settings);
    if (codec == "av1") return aom(settings);
    if (codec == "h264") return x264(settings);
    throw std::invalid_argument("no ffmpeg encoder is set up to compare with " + codec);
}

nlohmann::json ffmpeg_encode(const FfmpegEncoder& encoder, const std::string& codec, uint32_t threads,
                             const std::filesystem::path& y4m, const std::filesystem::path& stream) {
    std::vector<std::string> output = {"-c:v", encoder.name};
    output.insert(output.end(), encoder.arguments.begin(), encoder.arguments.end());
    output.insert(output.end(), {"-threads", std::to_string(threads), "-f", StreamFile::extension(codec), "-y",
                                 stream.string()});
    return benchmarked(y4m, output, encoder.name);
}

nlohmann::json ffmpeg_read(const std::filesystem::path& y4m) {
    return benchmarked(y4m, {"-f", "null", "-"}, "reading " + y4m.string());
}

}  // namespace tether::cli
