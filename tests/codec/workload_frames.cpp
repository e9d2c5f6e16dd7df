#include "workload_frames.h"

#include <process.h>
#include <y4m_reader.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace tether::test {
namespace {

constexpr int64_t first_capture_us = 1'700'000'000'000'000;
constexpr int64_t frame_interval_us = 33'333;

void number(VideoFrame& frame, size_t index) {
    frame.raw.frame_number = first_frame_number + index;
    frame.raw.capture_time_us = first_capture_us + static_cast<int64_t>(index) * frame_interval_us;
}

// $TETHER_WORKLOADS_DIR, else where this build found them: a tree built
// elsewhere and carried to a GPU machine points it at its own copy.
std::filesystem::path workloads_dir() {
    const char* moved = std::getenv("TETHER_WORKLOADS_DIR");
    return moved != nullptr && *moved != '\0' ? moved : TETHER_WORKLOADS_DIR;
}

std::vector<std::string> clip_input(const WorkloadClip& clip) {
    return {"-i",        (workloads_dir() / clip.workload).string(),
            "-frames:v", std::to_string(clip.frames),
            "-vf",       "scale=" + std::to_string(clip.width) + ":" + std::to_string(clip.height)};
}

}  // namespace

void run_ffmpeg(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{"ffmpeg", "-nostdin", "-v", "error", "-y"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const CommandResult result = run_command(argv);
    if (result.exit_code != 0) {
        throw std::runtime_error("ffmpeg failed (exit " + std::to_string(result.exit_code) + "): " + result.err);
    }
}

std::filesystem::path workload_y4m(const TempDir& dir, const WorkloadClip& clip) {
    const std::filesystem::path y4m = dir.path() / "source.y4m";
    std::vector<std::string> arguments = clip_input(clip);
    arguments.insert(arguments.end(), {"-pix_fmt", "yuv420p", y4m.string()});
    run_ffmpeg(arguments);
    return y4m;
}

std::vector<VideoFrame> read_y4m_frames(const std::filesystem::path& y4m) {
    y4m::Reader reader(y4m);
    std::vector<VideoFrame> frames;
    for (;;) {
        VideoFrame frame = VideoFrame::allocate_i420(reader.header().width, reader.header().height);
        if (!reader.next({frame.buffer.data(), frame.buffer.size()})) break;
        number(frame, frames.size());
        frames.push_back(std::move(frame));
    }
    return frames;
}

std::vector<VideoFrame> workload_bgra_frames(const TempDir& dir, const WorkloadClip& clip) {
    const std::filesystem::path raw = dir.path() / "source.bgra";
    std::vector<std::string> arguments = clip_input(clip);
    arguments.insert(arguments.end(), {"-f", "rawvideo", "-pix_fmt", "bgra", raw.string()});
    run_ffmpeg(arguments);

    const size_t frame_bytes = size_t{clip.width} * clip.height * 4;
    std::ifstream in(raw, std::ios::binary);
    std::vector<VideoFrame> frames;
    for (uint32_t i = 0; i < clip.frames; ++i) {
        VideoFrame frame;
        frame.buffer = BufferRef::allocate(frame_bytes);
        if (!in.read(reinterpret_cast<char*>(frame.buffer.data()), static_cast<std::streamsize>(frame_bytes))) {
            throw std::runtime_error(raw.string() + " holds fewer than " + std::to_string(clip.frames) + " frames");
        }
        frame.raw.struct_size = sizeof(tether_video_frame);
        frame.raw.format = TETHER_PIXEL_BGRA;
        frame.raw.width = clip.width;
        frame.raw.height = clip.height;
        frame.raw.planes[0] = frame.buffer.data();
        frame.raw.strides[0] = clip.width * 4;
        frame.raw.buffer = frame.buffer.get();
        number(frame, i);
        frames.push_back(std::move(frame));
    }
    return frames;
}

double luma_psnr(const uint8_t* a, uint32_t a_stride, const uint8_t* b, uint32_t b_stride, uint32_t width,
                 uint32_t height) {
    uint64_t squared_error = 0;
    for (uint32_t y = 0; y < height; ++y) {
        for (uint32_t x = 0; x < width; ++x) {
            const int diff = int{a[size_t{y} * a_stride + x]} - int{b[size_t{y} * b_stride + x]};
            squared_error += static_cast<uint64_t>(diff * diff);
        }
    }
    if (squared_error == 0) return 100.0;
    const double mse = static_cast<double>(squared_error) / (static_cast<double>(width) * height);
    return 10.0 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace tether::test
