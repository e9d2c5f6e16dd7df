// The viewer's picture the screen patch fuzzer paints on; its seeds are patches of one this size.
#pragma once

#include <cstdint>

namespace tether::fuzz {

constexpr uint32_t kPatchPictureWidth = 64;
constexpr uint32_t kPatchPictureHeight = 48;

}  // namespace tether::fuzz
