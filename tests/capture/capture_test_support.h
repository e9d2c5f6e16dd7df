// Shared by the capture tests: the real plugins through the registry, and
// .y4m files written byte by byte.
#pragma once

#include "core/plugin_registry.h"

#include <tether/plugin.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tether::test {

// The capture factory of that name from the plugins on the search path; throws when absent.
const Factory& capture_factory(std::string_view name);

// A tight copy of an I420 frame's three planes.
std::vector<uint8_t> i420_bytes(const tether_video_frame& frame);

// Header line "YUV4MPEG2 <params>\n", then each frame as "FRAME\n" + bytes.
std::string y4m_file(std::string_view params, const std::vector<std::vector<uint8_t>>& frames);

// Frames of distinct, position-dependent bytes for a picture of that size.
std::vector<std::vector<uint8_t>> patterned_frames(uint32_t width, uint32_t height, int count);

}  // namespace tether::test
