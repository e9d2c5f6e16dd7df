#include "codec_streams.h"

#include "workload_frames.h"

#include <gtest/gtest.h>

namespace tether::test {

std::vector<EncodedPacket> encode_all(Encoder& encoder, const std::vector<VideoFrame>& frames,
                                      size_t force_keyframe_at) {
    std::vector<EncodedPacket> packets;
    for (size_t i = 0; i < frames.size(); ++i) {
        encoder.encode(frames[i], i == force_keyframe_at, [&](EncodedPacket packet) { packets.push_back(packet); });
    }
    return packets;
}

std::vector<Decoded> decode_all(Decoder& decoder, const std::vector<EncodedPacket>& packets,
                                const std::vector<VideoFrame>& source) {
    std::vector<Decoded> decoded;
    size_t since_keyframe = 0;
    for (const EncodedPacket& packet : packets) {
        since_keyframe = packet.keyframe() ? 0 : since_keyframe + 1;
        decoder.decode(packet, [&](const tether_video_frame& frame) {
            EXPECT_EQ(frame.format, TETHER_PIXEL_I420);
            double psnr = 0;
            const uint64_t index = frame.frame_number - first_frame_number;
            if (index < source.size() && frame.width == source[index].width() &&
                frame.height == source[index].height()) {
                const tether_video_frame& original = source[index].raw;
                psnr = luma_psnr(frame.planes[0], frame.strides[0], original.planes[0], original.strides[0],
                                 frame.width, frame.height);
            }
            decoded.push_back({frame.frame_number, frame.capture_time_us, frame.width, frame.height, psnr,
                               since_keyframe});
        });
    }
    return decoded;
}

}  // namespace tether::test
