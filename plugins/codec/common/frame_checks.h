// A host frame checked before an encoder reads it: frames come across the
// ABI, so a wrong size, format, missing plane or short stride is an error
// with its reason, never a read past a buffer.
#pragma once

#include <tether/plugin.h>

#include <cstdint>

namespace tether::codec {

// Throws std::invalid_argument unless `frame` is `width`x`height`, I420 or
// BGRA, with every plane it needs present and each stride at least a row.
void require_encodable(const tether_video_frame& frame, uint32_t width, uint32_t height);

}  // namespace tether::codec
