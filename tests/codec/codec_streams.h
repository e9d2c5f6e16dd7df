// Whole clips through a codec plugin's encoder and decoder, as the suites
// of every codec use them.
#pragma once

#include <core/plugin_objects.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tether::test {

struct Decoded {
    uint64_t frame_number;
    int64_t capture_time_us;
    uint32_t width;
    uint32_t height;
    double psnr;  // luma, against the source frame of the same number; 0 when there is none of its size
    size_t since_keyframe;  // pictures since the last keyframe; 0: this is one
};

// Encodes every frame, forcing a keyframe at `force_keyframe_at`.
std::vector<EncodedPacket> encode_all(Encoder& encoder, const std::vector<VideoFrame>& frames,
                                      size_t force_keyframe_at = SIZE_MAX);

// Decodes every packet, each picture measured against `source`, which is numbered from first_frame_number.
std::vector<Decoded> decode_all(Decoder& decoder, const std::vector<EncodedPacket>& packets,
                                const std::vector<VideoFrame>& source);

}  // namespace tether::test
