#include "nvenc_input.h"

#include <libyuv.h>

#include <stdexcept>
#include <string>

namespace tether::nvenc {
namespace {

uint32_t chroma_pitch(uint32_t pitch) { return (pitch + 1) / 2; }
uint32_t chroma_rows(uint32_t height) { return (height + 1) / 2; }

}  // namespace

NV_ENC_BUFFER_FORMAT input_format(uint32_t format) {
    switch (format) {
    case TETHER_PIXEL_BGRA: return NV_ENC_BUFFER_FORMAT_ARGB;
    case TETHER_PIXEL_I420: return NV_ENC_BUFFER_FORMAT_IYUV;
    default: throw std::invalid_argument("pixel format " + std::to_string(format) + " has no NVENC input format");
    }
}

size_t input_bytes(NV_ENC_BUFFER_FORMAT format, uint32_t pitch, uint32_t height) {
    const size_t luma = size_t{pitch} * height;
    if (format != NV_ENC_BUFFER_FORMAT_IYUV) return luma;
    return luma + 2 * size_t{chroma_pitch(pitch)} * chroma_rows(height);
}

void copy_into(const tether_video_frame& frame, uint8_t* destination, uint32_t pitch) {
    const auto width = static_cast<int>(frame.width);
    const auto height = static_cast<int>(frame.height);
    if (frame.format == TETHER_PIXEL_BGRA) {
        libyuv::ARGBCopy(frame.planes[0], static_cast<int>(frame.strides[0]), destination, static_cast<int>(pitch),
                         width, height);
        return;
    }
    uint8_t* u = destination + size_t{pitch} * frame.height;
    uint8_t* v = u + size_t{chroma_pitch(pitch)} * chroma_rows(frame.height);
    libyuv::I420Copy(frame.planes[0], static_cast<int>(frame.strides[0]), frame.planes[1],
                     static_cast<int>(frame.strides[1]), frame.planes[2], static_cast<int>(frame.strides[2]),
                     destination, static_cast<int>(pitch), u, static_cast<int>(chroma_pitch(pitch)), v,
                     static_cast<int>(chroma_pitch(pitch)), width, height);
}

}  // namespace tether::nvenc
