#include "codec_encode_child.h"

#include "core/media.h"
#include "core/plugin_objects.h"
#include "encoder_settings.h"
#include "process_stats.h"
#include "stream_file.h"
#include "y4m_reader.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace tether::cli {
namespace {

// Frames are held in memory so that file reads stay out of the timing; this
// bound keeps a long clip from exhausting the machine.
constexpr size_t max_loaded_bytes = size_t{8} << 30;
constexpr uint32_t max_fps = 240;  // the encoders' limit

struct EncodeOptions {
    std::string encoder;
    std::string y4m;
    std::string stream;
    uint32_t bitrate_kbps = 0;
    uint32_t threads = 0;
    int32_t speed = -1;
};

std::vector<VideoFrame> load_frames(const std::string& file, uint32_t fps) {
    y4m::Reader reader(file);
    std::vector<VideoFrame> frames;
    for (;;) {
        if ((frames.size() + 1) * reader.frame_bytes() > max_loaded_bytes)
            throw UsageError(file + " holds more than " + std::to_string(max_loaded_bytes >> 30) +
                             " GiB of frames; use fewer --frames");
        VideoFrame frame = VideoFrame::allocate_i420(reader.header().width, reader.header().height);
        if (!reader.next({frame.buffer.data(), frame.buffer.size()})) break;
        frame.raw.frame_number = frames.size();
        frame.raw.capture_time_us = static_cast<int64_t>(frames.size()) * 1'000'000 / fps;
        frames.push_back(std::move(frame));
    }
    if (frames.empty()) throw UsageError(file + " holds no frames");
    return frames;
}

nlohmann::json encode(const GlobalOptions& global, const EncodeOptions& o) {
    const auto context = make_context(global, {});
    const Factory* factory = context->registry.find(TETHER_KIND_ENCODER, o.encoder);
    if (factory == nullptr) throw UsageError("no encoder named " + o.encoder);

    const uint32_t fps = y4m::whole_fps(y4m::Reader(o.y4m).header(), max_fps);
    const std::vector<VideoFrame> frames = load_frames(o.y4m, fps);
    const tether_encoder_config config{.struct_size = sizeof(tether_encoder_config),
                                       .width = frames.front().width(),
                                       .height = frames.front().height(),
                                       .fps = fps,
                                       .bitrate_kbps = o.bitrate_kbps,
                                       .threads = o.threads,
                                       .speed = o.speed};
    StartedEncoderLog started;
    std::vector<EncodedPacket> packets;
    packets.reserve(frames.size());
    // Creating the encoder counts, as it does in ffmpeg's -benchmark figures.
    const double cpu_start = cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    Encoder encoder(*factory, config);
    for (const VideoFrame& frame : frames)
        encoder.encode(frame, false, [&](EncodedPacket packet) { packets.push_back(std::move(packet)); });
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const double cpu_s = cpu_seconds() - cpu_start;

    const std::optional<EncoderSettings> settings = started.last();
    if (!settings) throw std::runtime_error(o.encoder + " did not log the settings it uses");
    StreamFile stream(o.stream, encoder.codec(), config.width, config.height, fps);
    uint64_t bytes = 0;
    for (const EncodedPacket& packet : packets) {
        stream.write(packet.data.bytes());
        bytes += packet.data.size();
    }
    stream.close();
    return {{"codec", encoder.codec()}, {"settings", *settings}, {"frames", packets.size()},
            {"bytes", bytes},           {"cpu_s", cpu_s},        {"wall_s", wall_s}};
}

}  // namespace

void add_codec_encode_child(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<EncodeOptions>();
    CLI::App* cmd = bench.add_subcommand("codec-encode", "One encoder on a .y4m file (run by bench codecs)");
    cmd->group("");  // hidden: a part of `bench codecs`, not a command of its own
    cmd->add_option("--encoder", o->encoder)->required();
    cmd->add_option("--y4m", o->y4m)->required()->check(CLI::ExistingFile);
    cmd->add_option("--stream", o->stream)->required();
    cmd->add_option("--bitrate-kbps", o->bitrate_kbps);
    cmd->add_option("--threads", o->threads);
    cmd->add_option("--speed", o->speed);
    cmd->callback([&global, &exit_code, o] {
        std::cout << encode(global, *o).dump() << std::endl;
        exit_code = 0;
    });
}

}  // namespace tether::cli
