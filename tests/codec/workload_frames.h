// Real desktop frames for codec tests: the start of a recorded workload,
// decoded and scaled by ffmpeg, held as host frames.
#pragma once

#include <core/media.h>
#include <temp_dir.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tether::test {

struct WorkloadClip {
    std::string workload = "terminal-scroll-1080p.mkv";  // in TETHER_WORKLOADS_DIR
    uint32_t frames = 30;
    uint32_t width = 640;
    uint32_t height = 360;
};

// Runs ffmpeg; throws std::runtime_error with its stderr when it fails.
void run_ffmpeg(const std::vector<std::string>& arguments);

// The clip as a .y4m file written by ffmpeg into `dir`.
std::filesystem::path workload_y4m(const TempDir& dir, const WorkloadClip& clip);

// Source frames are numbered from here, so that a frame number that comes
// back proves it was carried through rather than counted again.
inline constexpr uint64_t first_frame_number = 1000;

// Every frame of a .y4m file as I420 host frames, numbered from
// first_frame_number, with capture times 1/30 s apart.
std::vector<VideoFrame> read_y4m_frames(const std::filesystem::path& y4m);

// The clip converted by ffmpeg to BGRA, numbered and timed like read_y4m_frames.
std::vector<VideoFrame> workload_bgra_frames(const TempDir& dir, const WorkloadClip& clip);

// Luma PSNR in dB of two pictures of the same size; 100 when identical.
double luma_psnr(const uint8_t* a, uint32_t a_stride, const uint8_t* b, uint32_t b_stride, uint32_t width,
                 uint32_t height);

}  // namespace tether::test
