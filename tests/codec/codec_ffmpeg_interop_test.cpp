// Each codec's bitstream in the file ffmpeg reads for it (IVF for VP8, VP9
// and AV1; Annex B for H.264), decoded by the real ffmpeg binary with a
// decoder of its own choosing (libaom's for AV1, where ours is dav1d):
// proves the streams are standard, that ffmpeg shows what our decoder shows
// for the same packets, and that the realtime settings keep desktop text sharp.
#include "codec_plugins.h"
#include "codec_streams.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>
#include <stream_file.h>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>

namespace tether::test {
namespace {

// Our decoder and ffmpeg's may round differently, never by more than this.
constexpr double max_decoder_difference_db = 0.5;

std::vector<uint8_t> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The packets in the codec's file, as a receiver would have recorded them.
std::filesystem::path write_stream(const TempDir& dir, const std::string& codec, const WorkloadClip& clip,
                                   const std::vector<EncodedPacket>& packets) {
    const std::filesystem::path file = dir.path() / ("stream-" + codec + "." + StreamFile::extension(codec));
    StreamFile stream(file, codec, clip.width, clip.height, 30);
    for (const EncodedPacket& packet : packets) stream.write(packet.data.bytes());
    stream.close();
    return file;
}

class CodecFfmpegInterop : public testing::TestWithParam<std::string> {};

TEST_P(CodecFfmpegInterop, FfmpegShowsWhatOurDecoderShowsSharply) {
    const std::string codec = GetParam();
    CodecPlugins plugins;
    for (const std::string workload : {"terminal-scroll-1080p.mkv", "window-drag-1080p.mkv"}) {
        SCOPED_TRACE(workload);
        const WorkloadClip clip{.workload = workload};
        TempDir dir;
        const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
        ASSERT_EQ(source.size(), clip.frames);

        Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, screen_share_kbps));
        const std::vector<EncodedPacket> packets = encode_all(encoder, source);
        ASSERT_EQ(packets.size(), source.size());
        Decoder decoder(plugins.decoder(codec), 0);
        const std::vector<Decoded> ours = decode_all(decoder, packets, source);
        ASSERT_EQ(ours.size(), source.size());

        const std::filesystem::path stream = write_stream(dir, codec, clip, packets);
        const std::filesystem::path decoded_file = dir.path() / "decoded.yuv";
        // Every frame as it comes: no frames dropped or repeated to fit a frame rate.
        run_ffmpeg({"-c:v", ffmpeg_judge_decoder(codec), "-i", stream.string(), "-fps_mode", "passthrough",
                    "-f", "rawvideo", "-pix_fmt", "yuv420p", decoded_file.string()});
        const std::vector<uint8_t> decoded = read_file(decoded_file);
        const size_t frame_bytes = source.front().buffer.size();
        ASSERT_EQ(decoded.size() % frame_bytes, 0u) << "ffmpeg wrote a partial frame";
        ASSERT_EQ(decoded.size() / frame_bytes, source.size()) << "ffmpeg decoded a different number of frames";

        size_t bytes = 0;
        double psnr_sum = 0;
        for (size_t i = 0; i < source.size(); ++i) {
            const double psnr = luma_psnr(source[i].raw.planes[0], source[i].raw.strides[0],
                                          &decoded[i * frame_bytes], clip.width, clip.width, clip.height);
            EXPECT_GE(psnr, min_luma_psnr_db(codec, ours[i].since_keyframe)) << codec << " frame " << i;
            EXPECT_NEAR(psnr, ours[i].psnr, max_decoder_difference_db) << codec << " frame " << i;
            bytes += packets[i].data.size();
            psnr_sum += psnr;
        }
        // The figures docs/codecs.md quotes.
        std::cout << codec << " " << workload << ": " << packets.size() << " frames at " << clip.width << "x"
                  << clip.height << ", " << bytes << " bytes (keyframe " << packets.front().data.size()
                  << "), mean luma PSNR " << psnr_sum / static_cast<double>(source.size()) << " dB\n";
    }
}

INSTANTIATE_TEST_SUITE_P(Codecs, CodecFfmpegInterop, testing::ValuesIn(codecs_under_test()), codec_case_name);

}  // namespace
}  // namespace tether::test
