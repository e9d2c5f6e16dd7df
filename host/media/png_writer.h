// Saves a picture as an 8-bit RGB PNG, for looking at what a viewer decoded.
#pragma once

#include "core/media.h"

#include <filesystem>

namespace tether {

// Throws std::runtime_error naming the file on any failure.
void write_png(const VideoFrame& frame, const std::filesystem::path& file);

}  // namespace tether
