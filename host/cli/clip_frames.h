// A benchmark's input: a video file decoded once by ffmpeg into raw I420
// frames (.y4m), so that nothing measured pays for decoding it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace tether::cli {

// The first `frames` frames of `clip` at its own size and frame rate, as
// folder/clip.y4m. UsageError when the clip is missing; std::runtime_error
// when ffmpeg cannot decode it.
std::filesystem::path decode_clip(const std::string& clip, uint32_t frames, const std::filesystem::path& folder);

}  // namespace tether::cli
