// How a host frame goes into an NVENC input buffer: BGRA as NVENC's ARGB
// (a word-ordered A8R8G8B8, which is B, G, R, A in memory: our BGRA, which
// NVENC converts to YUV itself) and I420 as IYUV, each copied row by row
// into the buffer's pitch.
#pragma once

#include <tether/plugin.h>

#include <ffnvcodec/nvEncodeAPI.h>

#include <cstdint>

namespace tether::nvenc {

// The buffer format for a frame of `format` (TETHER_PIXEL_*); throws
// std::invalid_argument for any other.
NV_ENC_BUFFER_FORMAT input_format(uint32_t format);

// The bytes a locked input buffer of `format` holds for a picture of
// `height` rows at `pitch`: IYUV's chroma planes follow the luma at half
// the pitch and half the rows, rounded up (as the Video Codec SDK's samples lay them out).
size_t input_bytes(NV_ENC_BUFFER_FORMAT format, uint32_t pitch, uint32_t height);

// Copies a frame that passed codec::require_encodable into a locked buffer
// starting at `destination` with `pitch` bytes a row; the buffer must hold
// input_bytes(input_format(frame.format), pitch, frame.height).
void copy_into(const tether_video_frame& frame, uint8_t* destination, uint32_t pitch);

}  // namespace tether::nvenc
