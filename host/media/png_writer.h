// Saves a picture as an 8-bit RGB PNG, for looking at what a viewer decoded.
// A build configured with -DTETHER_PNG_OUTPUT=OFF has no libpng or libyuv:
// CMake compiles no_png_writer.cpp instead, which writes nothing.
#pragma once

#include "core/media.h"

#include <filesystem>
#include <string_view>

namespace tether {

// Why this build writes no PNG files, or "" when it writes them.
std::string_view png_output_missing();

// Throws std::runtime_error naming the file on any failure (with
// png_output_missing() as the reason in a build without PNG output).
void write_png(const VideoFrame& frame, const std::filesystem::path& file);

}  // namespace tether
