// The plugin's bitstream, in an IVF file, decoded by the real ffmpeg binary:
// proves the streams are standard VP8/VP9 and that the realtime settings keep
// desktop text sharp.
#include "vpx_plugin_loader.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>
#include <ivf_writer.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace tether::test {
namespace {

std::vector<uint8_t> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class VpxFfmpegInterop : public testing::TestWithParam<std::string> {};

TEST_P(VpxFfmpegInterop, FfmpegDecodesEveryFrameOfTheBitstreamAbove35Db) {
    const std::string codec = GetParam();
    const WorkloadClip clip;
    TempDir dir;
    const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
    ASSERT_EQ(source.size(), clip.frames);

    VpxPluginLoader plugins;
    Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
    const std::filesystem::path ivf_file = dir.path() / ("stream-" + codec + ".ivf");
    IvfWriter ivf(ivf_file, codec == "vp8" ? "VP80" : "VP90", clip.width, clip.height, 30);
    size_t packets = 0;
    for (const VideoFrame& frame : source) {
        encoder.encode(frame, false, [&](EncodedPacket packet) {
            ivf.write_frame(packet.data.bytes(), packets);  // timestamps in frames, from 0
            ++packets;
        });
    }
    ivf.close();
    EXPECT_EQ(packets, source.size());

    const std::filesystem::path decoded_file = dir.path() / "decoded.yuv";
    run_ffmpeg({"-i", ivf_file.string(), "-f", "rawvideo", "-pix_fmt", "yuv420p", decoded_file.string()});
    const std::vector<uint8_t> decoded = read_file(decoded_file);
    const size_t frame_bytes = source.front().buffer.size();
    ASSERT_EQ(decoded.size() % frame_bytes, 0u) << "ffmpeg wrote a partial frame";
    ASSERT_EQ(decoded.size() / frame_bytes, source.size()) << "ffmpeg decoded a different number of frames";

    for (size_t i = 0; i < source.size(); ++i) {
        const double psnr = luma_psnr(source[i].raw.planes[0], source[i].raw.strides[0], &decoded[i * frame_bytes],
                                      clip.width, clip.width, clip.height);
        EXPECT_GE(psnr, min_luma_psnr_db) << codec << " frame " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Codecs, VpxFfmpegInterop, testing::Values("vp8", "vp9"),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace tether::test
