#include "frame_checks.h"

#include <stdexcept>
#include <string>

namespace tether::codec {
namespace {

constexpr uint32_t max_stride = 1u << 20;  // far above any real row; keeps int arithmetic safe

void require_plane(const tether_video_frame& frame, int plane, uint32_t min_stride) {
    if (frame.planes[plane] == nullptr)
        throw std::invalid_argument("frame plane " + std::to_string(plane) + " is missing");
    const uint32_t stride = frame.strides[plane];
    if (stride < min_stride || stride > max_stride)
        throw std::invalid_argument("frame plane " + std::to_string(plane) + " has stride " + std::to_string(stride) +
                                    ", expected at least " + std::to_string(min_stride));
}

}  // namespace

void require_encodable(const tether_video_frame& frame, uint32_t width, uint32_t height) {
    if (frame.width != width || frame.height != height)
        throw std::invalid_argument("frame is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                                    " but the encoder was created for " + std::to_string(width) + "x" +
                                    std::to_string(height));
    switch (frame.format) {
    case TETHER_PIXEL_I420: {
        const uint32_t chroma_width = (width + 1) / 2;
        require_plane(frame, 0, width);
        require_plane(frame, 1, chroma_width);
        require_plane(frame, 2, chroma_width);
        return;
    }
    case TETHER_PIXEL_BGRA:
        require_plane(frame, 0, width * 4);
        return;
    default:
        throw std::invalid_argument("pixel format " + std::to_string(frame.format) +
                                    " is not accepted; use I420 or BGRA");
    }
}

}  // namespace tether::codec
