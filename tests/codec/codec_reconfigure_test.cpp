// ABI 1.6: each codec plugin's encoder takes a new configuration in place.
// Judged on the packets and on our decoder's pictures: a new rate shows in
// the bytes of the frames that follow without a keyframe; a new size either
// starts with a keyframe of that size, which decodes, or is declined so the
// host makes a new encoder; what the libraries fix when they open is declined.
#include "codec_plugins.h"
#include "codec_streams.h"
#include "workload_frames.h"

#include <core/plugin_objects.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <numeric>

namespace tether::test {
namespace {

using testing::HasSubstr;

double mean_bytes(const std::vector<EncodedPacket>& packets, size_t from, size_t to) {
    const size_t bytes = std::accumulate(packets.begin() + static_cast<ptrdiff_t>(from),
                                         packets.begin() + static_cast<ptrdiff_t>(to), size_t{0},
                                         [](size_t sum, const EncodedPacket& p) { return sum + p.data.size(); });
    return static_cast<double>(bytes) / static_cast<double>(to - from);
}

class CodecReconfigure : public testing::TestWithParam<std::string> {
protected:
    std::vector<VideoFrame> clip(uint32_t frames, uint32_t width, uint32_t height) {
        dirs_.emplace_back();
        // A window dragged across the desktop: every picture differs.
        return read_y4m_frames(workload_y4m(
            dirs_.back(), {.workload = "window-drag-1080p.mkv", .frames = frames, .width = width, .height = height}));
    }

    // The packets of `source`, encoded with `first` and from the 31st frame with `next`.
    std::vector<EncodedPacket> encode_switching(const tether_encoder_config& first, const tether_encoder_config& next,
                                                const std::vector<VideoFrame>& source) {
        Encoder encoder(plugins.encoder(codec), first);
        EXPECT_TRUE(encoder.can_reconfigure());
        std::vector<EncodedPacket> packets = encode_all(encoder, {source.begin(), source.begin() + 30});
        EXPECT_TRUE(encoder.reconfigure(next));
        const std::vector<EncodedPacket> rest = encode_all(encoder, {source.begin() + 30, source.end()});
        packets.insert(packets.end(), rest.begin(), rest.end());
        return packets;
    }

    // 60 frames, taking `next` before the 31st: the last 20 cost about what
    // they cost an encoder opened with `next`, far from what they cost one
    // that kept `first`; none is a keyframe, and our decoder shows them all.
    void expect_rate_change_takes_effect(const tether_encoder_config& first, const tether_encoder_config& next) {
        const std::vector<VideoFrame> source = clip(60, first.width, first.height);
        const std::vector<EncodedPacket> kept = encode_switching(first, first, source);
        const std::vector<EncodedPacket> changed = encode_switching(first, next, source);
        const std::vector<EncodedPacket> opened_so = encode_switching(next, next, source);
        ASSERT_EQ(changed.size(), source.size());
        for (size_t i = 1; i < changed.size(); ++i) EXPECT_FALSE(changed[i].keyframe()) << "packet " << i;
        Decoder decoder(plugins.decoder(codec), 0);
        EXPECT_EQ(decode_all(decoder, changed, source).size(), source.size());
        // Frames long enough after the change that what was saved before it is spent.
        const double old_rate = mean_bytes(kept, 40, 60);
        const double new_rate = mean_bytes(opened_so, 40, 60);
        const double after_change = mean_bytes(changed, 40, 60);
        ASSERT_LT(new_rate, old_rate * 0.75) << "the new rate must bind on this content to show";
        EXPECT_LT(std::abs(after_change - new_rate), std::abs(after_change - old_rate))
            << after_change << " bytes a frame after the change; " << new_rate << " opened so, " << old_rate
            << " without it";
    }

    const std::string codec = GetParam();
    CodecPlugins plugins;
    std::deque<TempDir> dirs_;  // TempDir stays where it was made
};

// 720p: large enough that the lower rate binds on every codec.
TEST_P(CodecReconfigure, ALowerBitrateTakesEffectWithoutAKeyframe) {
    const tether_encoder_config high = encoder_config(1280, 720, 2000);
    tether_encoder_config low = high;
    low.bitrate_kbps = 100;
    expect_rate_change_takes_effect(high, low);
}

TEST_P(CodecReconfigure, AHigherFrameRateTakesEffectWithoutAKeyframe) {
    const tether_encoder_config slow = encoder_config(1280, 720, 600);
    tether_encoder_config fast = slow;
    fast.fps = 240;  // the same bitrate over eight times the frames
    expect_rate_change_takes_effect(slow, fast);
}

TEST_P(CodecReconfigure, ANewSizeStartsWithAKeyframeOfThatSizeOrNeedsANewEncoder) {
    const std::vector<VideoFrame> large = clip(10, 640, 360);
    const std::vector<VideoFrame> small = clip(10, 320, 180);
    Encoder encoder(plugins.encoder(codec), encoder_config(640, 360, screen_share_kbps));
    Decoder decoder(plugins.decoder(codec), 0);
    std::vector<Decoded> shown;
    const auto encode_and_show = [&](const std::vector<VideoFrame>& frames) {
        const std::vector<EncodedPacket> packets = encode_all(encoder, frames);
        const std::vector<Decoded> decoded = decode_all(decoder, packets, frames);
        shown.insert(shown.end(), decoded.begin(), decoded.end());
        return packets;
    };
    encode_and_show(large);
    if (!encoder.reconfigure(encoder_config(320, 180, screen_share_kbps))) {
        // Declined: the encoder carries on at its size until the host replaces it.
        EXPECT_EQ(encode_and_show(large).size(), large.size());
        return;
    }
    const std::vector<EncodedPacket> packets = encode_and_show(small);
    ASSERT_EQ(packets.size(), small.size());
    for (size_t i = 0; i < packets.size(); ++i) {
        EXPECT_EQ(packets[i].keyframe(), i == 0) << "packet " << i;
        EXPECT_EQ(packets[i].width, 320u);
        EXPECT_EQ(packets[i].height, 180u);
    }
    ASSERT_EQ(shown.size(), large.size() + small.size());
    for (size_t i = large.size(); i < shown.size(); ++i) {
        EXPECT_EQ(shown[i].width, 320u) << "picture " << i;
        EXPECT_EQ(shown[i].height, 180u) << "picture " << i;
        EXPECT_GE(shown[i].psnr, min_luma_psnr_db(codec, shown[i].since_keyframe)) << "picture " << i;
    }
    // Pictures of the old size are now refused.
    EXPECT_THAT([&] { encoder.encode(large.front(), false, [](EncodedPacket) {}); },
                testing::ThrowsMessage<PluginError>(HasSubstr("640x360")));
}

TEST_P(CodecReconfigure, NewThreadsOrSpeedNeedANewEncoder) {
    const std::vector<VideoFrame> source = clip(4, 320, 180);
    tether_encoder_config first = encoder_config(320, 180, 300);
    first.threads = 1;
    Encoder encoder(plugins.encoder(codec), first);
    tether_encoder_config more_threads = first;
    more_threads.threads = 2;
    EXPECT_FALSE(encoder.reconfigure(more_threads));
    tether_encoder_config other_speed = first;
    other_speed.speed = 7;  // in every codec's range, and no codec's default
    EXPECT_FALSE(encoder.reconfigure(other_speed));
    // Declined changes leave the encoder as it was.
    const std::vector<EncodedPacket> packets = encode_all(encoder, source);
    ASSERT_EQ(packets.size(), source.size());
    EXPECT_TRUE(packets.front().keyframe());
}

TEST_P(CodecReconfigure, AnImpossibleConfigurationIsAnErrorWithTheReason) {
    Encoder encoder(plugins.encoder(codec), encoder_config(320, 180, 300));
    EXPECT_THAT([&] { encoder.reconfigure(encoder_config(0, 180, 300)); },
                testing::ThrowsMessage<PluginError>(HasSubstr("width must be between 1 and 16384")));
}

INSTANTIATE_TEST_SUITE_P(Codecs, CodecReconfigure, testing::ValuesIn(codecs_under_test()), codec_case_name);

}  // namespace
}  // namespace tether::test
