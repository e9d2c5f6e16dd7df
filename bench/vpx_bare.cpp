// tether-bench-vpx: encodes a .y4m file with plain libvpx and the settings
// the codec-vpx plugin uses (no host, no plugin) and prints one JSON object.
// It is the baseline the pipeline benchmarks are measured against.
#include <tether/i420.hpp>
#include "vpx_encode_session.h"
#include "vpx_settings.h"
#include "y4m_reader.h"

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using tether::vpx::Codec;

// Frames are held in memory so that file reads stay out of the timing; this
// bound keeps a long file from exhausting the machine.
constexpr size_t max_loaded_bytes = size_t{8} << 30;

struct Options {
    std::filesystem::path y4m;
    std::string codec = "vp9";
    uint32_t frames = 0;  // 0: all
    uint32_t bitrate_kbps = 0;
    uint32_t threads = 0;
    int32_t speed = -1;
    uint32_t fps = 0;  // 0: the file's frame rate
};

std::vector<std::vector<uint8_t>> load_frames(tether::y4m::Reader& reader, uint32_t limit) {
    std::vector<std::vector<uint8_t>> frames;
    while (limit == 0 || frames.size() < limit) {
        if ((frames.size() + 1) * reader.frame_bytes() > max_loaded_bytes) {
            throw std::runtime_error("more than " + std::to_string(max_loaded_bytes >> 30) +
                                     " GiB of frames; limit them with --frames");
        }
        std::vector<uint8_t> frame(reader.frame_bytes());
        if (!reader.next(frame)) break;
        frames.push_back(std::move(frame));
    }
    if (frames.empty()) throw std::runtime_error("the file holds no frames");
    return frames;
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int run(const Options& options) {
    const std::optional<Codec> codec = tether::vpx::parse_codec(options.codec);
    if (!codec) throw std::invalid_argument("--codec must be vp8 or vp9");

    tether::y4m::Reader reader(options.y4m);
    const tether::y4m::Header header = reader.header();
    std::vector<std::vector<uint8_t>> frames = load_frames(reader, options.frames);

    const tether_encoder_config config{
        .struct_size = sizeof(tether_encoder_config),
        .width = header.width,
        .height = header.height,
        .fps = options.fps != 0 ? options.fps : tether::y4m::whole_fps(header, tether::codec::max_fps),
        .bitrate_kbps = options.bitrate_kbps,
        .threads = options.threads,
        .speed = options.speed,
    };
    tether::vpx::EncodeSession session(*codec, config);
    const tether::i420::Layout layout = tether::i420::layout(header.width, header.height);
    const uint32_t strides[3] = {layout.width, layout.chroma_width, layout.chroma_width};

    size_t bytes = 0;
    const double cpu_start = cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    for (std::vector<uint8_t>& frame : frames) {
        uint8_t* const planes[3] = {frame.data(), frame.data() + layout.luma_bytes(),
                                    frame.data() + layout.luma_bytes() + layout.chroma_bytes()};
        const vpx_image_t picture = tether::vpx::wrap_i420(layout.width, layout.height, planes, strides);
        session.encode(picture, false, [&](std::span<const uint8_t> packet, bool) { bytes += packet.size(); });
    }
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const double cpu_s = cpu_seconds() - cpu_start;

    const size_t count = frames.size();
    std::printf(
        "{\"codec\":\"%s\",\"frames\":%zu,\"width\":%u,\"height\":%u,\"bytes\":%zu,\"cpu_s\":%.6f,\"wall_s\":%.6f,"
        "\"cpu_s_per_frame\":%.6f,\"fps\":%.3f}\n",
        std::string(tether::vpx::codec_name(*codec)).c_str(), count, header.width, header.height, bytes, cpu_s, wall_s,
        cpu_s / static_cast<double>(count), static_cast<double>(count) / wall_s);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Encodes a .y4m file with plain libvpx and the codec-vpx plugin's settings; prints one JSON object."};
    Options options;
    app.add_option("--y4m", options.y4m, "Input .y4m file (8-bit 4:2:0)")->required();
    app.add_option("--codec", options.codec, "vp8 or vp9")->check(CLI::IsMember({"vp8", "vp9"}))->capture_default_str();
    app.add_option("--frames", options.frames, "Frames to encode, 0 for all")->capture_default_str();
    app.add_option("--bitrate-kbps", options.bitrate_kbps, "Target bitrate, 0 for the plugin's default for the size")
        ->capture_default_str();
    app.add_option("--threads", options.threads, "Encoder threads, 0 for min(cores, 4)")->capture_default_str();
    app.add_option("--speed", options.speed, "libvpx cpu-used, -1 for the plugin's default")->capture_default_str();
    app.add_option("--fps", options.fps, "Frame rate the rate control assumes, 0 for the file's")
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        return run(options);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "tether-bench-vpx: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tether-bench-vpx: %s\n", e.what());
        return 1;
    }
}
