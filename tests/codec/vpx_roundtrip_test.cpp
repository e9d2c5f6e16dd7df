// Encoder and decoder of the codec-vpx plugin together, through the host's
// plugin objects: metadata, keyframes, pixel formats and sizes survive.
#include "vpx_plugin_loader.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>

#include <gtest/gtest.h>

namespace tether::test {
namespace {

struct Decoded {
    uint64_t frame_number;
    int64_t capture_time_us;
    uint32_t width;
    uint32_t height;
    double psnr;  // against the source frame of the same number
};

// Encodes every frame, forcing a keyframe at `force_keyframe_at`, one packet per frame.
std::vector<EncodedPacket> encode_all(Encoder& encoder, const std::vector<VideoFrame>& frames,
                                      size_t force_keyframe_at = SIZE_MAX) {
    std::vector<EncodedPacket> packets;
    for (size_t i = 0; i < frames.size(); ++i) {
        encoder.encode(frames[i], i == force_keyframe_at, [&](EncodedPacket packet) { packets.push_back(packet); });
    }
    return packets;
}

std::vector<Decoded> decode_all(Decoder& decoder, const std::vector<EncodedPacket>& packets,
                                const std::vector<VideoFrame>& source) {
    std::vector<Decoded> decoded;
    for (const EncodedPacket& packet : packets) {
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
            decoded.push_back({frame.frame_number, frame.capture_time_us, frame.width, frame.height, psnr});
        });
    }
    return decoded;
}

void expect_frames_match_source(const std::vector<Decoded>& decoded, const std::vector<VideoFrame>& source) {
    ASSERT_EQ(decoded.size(), source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        EXPECT_EQ(decoded[i].frame_number, source[i].raw.frame_number) << "frame " << i;
        EXPECT_EQ(decoded[i].capture_time_us, source[i].raw.capture_time_us) << "frame " << i;
        EXPECT_EQ(decoded[i].width, source[i].width()) << "frame " << i;
        EXPECT_EQ(decoded[i].height, source[i].height()) << "frame " << i;
        EXPECT_GE(decoded[i].psnr, min_luma_psnr_db) << "frame " << i;
    }
}

class VpxRoundTrip : public testing::TestWithParam<std::string> {
protected:
    const std::string codec = GetParam();
    VpxPluginLoader plugins;
    TempDir dir;
};

TEST_P(VpxRoundTrip, DecoderReturnsEveryFrameInOrderWithItsNumberAndCaptureTime) {
    const WorkloadClip clip;
    const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
    Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
    const std::vector<EncodedPacket> packets = encode_all(encoder, source);

    ASSERT_EQ(packets.size(), source.size());
    for (size_t i = 0; i < packets.size(); ++i) {
        EXPECT_EQ(packets[i].frame_number, source[i].raw.frame_number);
        EXPECT_EQ(packets[i].capture_time_us, source[i].raw.capture_time_us);
        EXPECT_EQ(packets[i].width, clip.width);
        EXPECT_EQ(packets[i].height, clip.height);
        EXPECT_GT(packets[i].data.size(), 0u);
    }
    Decoder decoder(plugins.decoder(codec), 0);
    expect_frames_match_source(decode_all(decoder, packets, source), source);
}

// Long enough to cross libvpx's default keyframe interval (128 frames), which
// a remote desktop must not use: keyframes are expensive and come on request.
TEST_P(VpxRoundTrip, KeyframesComeFirstAndOnRequestOnly) {
    const WorkloadClip clip{.frames = 140, .width = 320, .height = 180};
    const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
    Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
    constexpr size_t forced = 132;  // after the interval, so that a periodic keyframe would show
    const std::vector<EncodedPacket> packets = encode_all(encoder, source, forced);

    ASSERT_EQ(packets.size(), source.size());
    for (size_t i = 0; i < packets.size(); ++i) {
        EXPECT_EQ(packets[i].keyframe(), i == 0 || i == forced) << "packet " << i;
    }
    // A decoder that joins at the forced keyframe shows every frame from there on.
    Decoder late_joiner(plugins.decoder(codec), 0);
    const std::vector<EncodedPacket> from_keyframe(packets.begin() + forced, packets.end());
    const std::vector<VideoFrame> shown(source.begin() + forced, source.end());
    std::vector<Decoded> decoded = decode_all(late_joiner, from_keyframe, source);
    ASSERT_EQ(decoded.size(), shown.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        EXPECT_EQ(decoded[i].frame_number, shown[i].raw.frame_number);
        EXPECT_GE(decoded[i].psnr, min_luma_psnr_db) << "frame " << decoded[i].frame_number;
    }
}

TEST_P(VpxRoundTrip, BgraFramesAreEncodedLikeTheirI420Equivalent) {
    const WorkloadClip clip{.frames = 10};
    const std::vector<VideoFrame> reference = read_y4m_frames(workload_y4m(dir, clip));
    const std::vector<VideoFrame> bgra = workload_bgra_frames(dir, clip);
    Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
    Decoder decoder(plugins.decoder(codec), 0);
    // libyuv and ffmpeg round BGRA to I420 slightly differently; the result
    // must still be the same picture.
    expect_frames_match_source(decode_all(decoder, encode_all(encoder, bgra), reference), reference);
}

TEST_P(VpxRoundTrip, OddSizesRoundTrip) {
    const WorkloadClip clip{.frames = 5, .width = 641, .height = 361};
    const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
    Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
    Decoder decoder(plugins.decoder(codec), 0);
    expect_frames_match_source(decode_all(decoder, encode_all(encoder, source), source), source);
}

INSTANTIATE_TEST_SUITE_P(Codecs, VpxRoundTrip, testing::Values("vp8", "vp9"),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace tether::test
