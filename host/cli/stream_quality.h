// How close a decoded stream comes to its source, by ffmpeg's psnr and ssim
// filters: the same judge for our streams and ffmpeg's.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>

namespace tether::cli {

// ffmpeg decodes `stream` with its own decoder and compares it frame by
// frame, in order, with `source` (.y4m): {psnr_y, psnr (the average of
// Y, U, V weighted by their pixels, as the filter reports it), psnr_min
// (that average of the worst frame: a change left uncoded shows there), ssim (All)}.
nlohmann::json stream_quality(const std::filesystem::path& stream, const std::filesystem::path& source);

}  // namespace tether::cli
