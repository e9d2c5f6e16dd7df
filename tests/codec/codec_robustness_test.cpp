// What each codec plugin does with bad input: configurations it must
// refuse, frames that do not fit, and packets that are corrupt (they come
// from the network).
#include "codec_plugins.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace tether::test {
namespace {

using testing::HasSubstr;

class CodecRobustness : public testing::TestWithParam<std::string> {
protected:
    // A few real frames, encoded: the first packet is a keyframe.
    std::vector<EncodedPacket> encoded_clip(uint32_t frames) {
        const WorkloadClip clip{.frames = frames, .width = 320, .height = 180};
        const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
        Encoder encoder(plugins.encoder(codec), encoder_config(clip.width, clip.height, 300));
        std::vector<EncodedPacket> packets;
        for (const VideoFrame& frame : source) {
            encoder.encode(frame, false, [&](EncodedPacket packet) { packets.push_back(packet); });
        }
        return packets;
    }

    static EncodedPacket with_bytes(const EncodedPacket& model, std::span<const uint8_t> bytes) {
        EncodedPacket packet = model;
        packet.data = BufferRef::copy_of(bytes);
        return packet;
    }

    static size_t frames_from(Decoder& decoder, const EncodedPacket& packet) {
        size_t frames = 0;
        decoder.decode(packet, [&](const tether_video_frame&) { ++frames; });
        return frames;
    }

    const std::string codec = GetParam();
    CodecPlugins plugins;
    TempDir dir;
};

std::string creation_error(const Factory& factory, const tether_encoder_config& config) {
    try {
        Encoder encoder(factory, config);
    } catch (const PluginError& e) {
        return e.what();
    }
    return "no error";
}

TEST_P(CodecRobustness, EncoderAndDecoderProbeOk) {
    for (const Factory* factory : {&plugins.encoder(codec), &plugins.decoder(codec)}) {
        const ProbeResult result = probe(*factory);
        EXPECT_TRUE(result.ok) << factory->name << ": " << result.reason;
    }
    const auto& vtable = plugins.encoder(codec).table<tether_encoder_vtable>();
    EXPECT_EQ(std::string(vtable.codec), codec);
    EXPECT_EQ(vtable.formats, TETHER_PIXEL_BIT(TETHER_PIXEL_I420) | TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA));
    EXPECT_EQ(std::string(plugins.decoder(codec).table<tether_decoder_vtable>().codec), codec);
}

TEST_P(CodecRobustness, ImpossibleConfigurationsAreRefusedWithTheReason) {
    const Factory& factory = plugins.encoder(codec);
    EXPECT_THAT(creation_error(factory, encoder_config(0, 0, 0)), HasSubstr("width must be between 1 and 16384"));
    EXPECT_THAT(creation_error(factory, encoder_config(640, 16385, 0)),
                HasSubstr("height must be between 1 and 16384"));
    tether_encoder_config too_fast = encoder_config(640, 360, 0);
    too_fast.speed = 99;
    if (refuses_speed_out_of_range(codec)) {
        EXPECT_THAT(creation_error(factory, too_fast), HasSubstr("speed must be between"));
    } else {
        EXPECT_EQ(creation_error(factory, too_fast), "no error");  // brought into range, and logged
    }
}

TEST_P(CodecRobustness, FramesOfAnotherSizeOrFormatAreRefused) {
    Encoder encoder(plugins.encoder(codec), encoder_config(640, 360, 0));
    VideoFrame small = VideoFrame::allocate_i420(320, 180);
    EXPECT_THAT([&] { encoder.encode(small, false, [](EncodedPacket) {}); },
                testing::ThrowsMessage<PluginError>(HasSubstr("320x180")));
    VideoFrame odd_format = VideoFrame::allocate_i420(640, 360);
    odd_format.raw.format = 99;
    EXPECT_THAT([&] { encoder.encode(odd_format, false, [](EncodedPacket) {}); },
                testing::ThrowsMessage<PluginError>(HasSubstr("pixel format 99")));
}

TEST_P(CodecRobustness, TruncatedKeyframeIsAnErrorNotACrash) {
    const std::vector<EncodedPacket> packets = encoded_clip(1);
    const std::span<const uint8_t> keyframe = packets.front().data.bytes();
    Decoder decoder(plugins.decoder(codec), 0);
    EXPECT_THROW(frames_from(decoder, with_bytes(packets.front(), keyframe.first(5))), PluginError);
    // The decoder is still usable: the whole keyframe decodes afterwards.
    EXPECT_EQ(frames_from(decoder, packets.front()), 1u);
}

TEST_P(CodecRobustness, FlippedHeaderBytesAreAnErrorWithTheDecodersMessage) {
    const std::vector<EncodedPacket> packets = encoded_clip(1);
    std::vector<uint8_t> bytes(packets.front().data.bytes().begin(), packets.front().data.bytes().end());
    for (size_t i = 0; i < 10; ++i) bytes[i] ^= 0xff;
    Decoder decoder(plugins.decoder(codec), 0);
    EXPECT_THAT([&] { frames_from(decoder, with_bytes(packets.front(), bytes)); },
                testing::ThrowsMessage<PluginError>(HasSubstr("cannot decode " + codec + " packet")));
}

TEST_P(CodecRobustness, EmptyPacketIsRefused) {
    const std::vector<EncodedPacket> packets = encoded_clip(1);
    Decoder decoder(plugins.decoder(codec), 0);
    const uint8_t nothing = 0;
    EXPECT_THAT([&] { frames_from(decoder, with_bytes(packets.front(), std::span(&nothing, 0))); },
                testing::ThrowsMessage<PluginError>(HasSubstr("empty packet")));
}

// Random damage anywhere in a real stream: every packet either decodes or
// fails with PluginError, and a clean keyframe always recovers the decoder.
TEST_P(CodecRobustness, RandomlyCorruptedStreamsNeverCrashTheDecoder) {
    const std::vector<EncodedPacket> packets = encoded_clip(8);
    std::mt19937 random(20240611);
    size_t failures = 0;
    for (int round = 0; round < 60; ++round) {
        Decoder decoder(plugins.decoder(codec), 0);
        for (const EncodedPacket& packet : packets) {
            std::vector<uint8_t> bytes(packet.data.bytes().begin(), packet.data.bytes().end());
            const size_t flips = 1 + random() % 8;
            for (size_t f = 0; f < flips; ++f)
                bytes[random() % bytes.size()] ^= static_cast<uint8_t>(1 + random() % 255);
            if (random() % 4 == 0) bytes.resize(1 + random() % bytes.size());
            try {
                frames_from(decoder, with_bytes(packet, bytes));
            } catch (const PluginError&) {
                ++failures;
            }
        }
        EXPECT_EQ(frames_from(decoder, packets.front()), 1u) << "round " << round;
    }
    // The damage was real: the decoder noticed at least some of it.
    EXPECT_GT(failures, 0u);
}

INSTANTIATE_TEST_SUITE_P(Codecs, CodecRobustness, testing::ValuesIn(codecs_under_test()), codec_case_name);

}  // namespace
}  // namespace tether::test
