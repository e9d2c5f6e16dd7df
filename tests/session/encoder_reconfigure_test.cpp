// Encoders change at run time (ABI 1.6): a new size or rate is applied in
// place where the encoder can, and a new encoder is made where it cannot.
// The same test encoder source, compiled against the frozen 1.5 header kept in
// tests/abi/1.5 and against today's, writes into each packet how it coded the
// picture and which encoder it was.
#include "../plugins/abi_encoder_record.h"
#include "build_parts.h"
#include "core/host_api.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tether {
namespace {

using namespace std::chrono_literals;

struct Coded {
    sizes_record record{};
    bool keyframe = false;
};

class EncoderReconfigure : public ::testing::Test {
protected:
    void TearDown() override { set_plugin_settings({}); }

    // The test capture through `encoder`, as fast as it encodes; with `resizing`, alternating
    // between 320x240 and 160x120 every 10 pictures.
    void start(const std::string& encoder_file, const std::string& factory, bool resizing,
               PluginSettingValues settings = {}) {
        if (resizing) settings["abi-current"]["resize-every"] = "10";
        set_plugin_settings(settings);
        auto options = test::synthetic_video("vp9", 320, 240, Pacing::Lockstep);
        options.capture = &test::test_plugin("capture-abi-current", TETHER_KIND_CAPTURE, "abi-current");
        options.encoder = &test::test_plugin(encoder_file, TETHER_KIND_ENCODER, factory);
        options.encoder_config.bitrate_kbps = 1000;
        video_ = std::make_unique<VideoService>(bus_, options);
        feed_ = video_->subscribe("sizes", Delivery::backpressure(64));
        video_->start();
    }

    // The next `count` pictures as their encoder recorded them.
    std::vector<Coded> next(size_t count) {
        std::vector<Coded> coded;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (coded.size() < count && video_->error().empty() && std::chrono::steady_clock::now() < deadline) {
            const std::optional<EncodedPacket> packet = feed_->next(100ms);
            if (!packet) continue;
            Coded c;
            EXPECT_EQ(packet->data.size(), sizeof c.record);
            std::memcpy(&c.record, packet->data.data(), std::min(packet->data.size(), sizeof c.record));
            c.keyframe = packet->keyframe();
            coded.push_back(c);
        }
        EXPECT_EQ(video_->error(), "");
        EXPECT_EQ(coded.size(), count);
        return coded;
    }

    void stop() {
        feed_->close();
        video_->stop();
    }

    Bus bus_;
    std::unique_ptr<VideoService> video_;
    std::shared_ptr<Subscription<EncodedPacket>> feed_;
};

// Every change of size comes as a keyframe at the new size, and only those (and the first) are keyframes.
void expect_keyframes_at_each_size(const std::vector<Coded>& coded) {
    for (size_t i = 0; i < coded.size(); ++i) {
        const bool new_size = i == 0 || coded[i].record.width != coded[i - 1].record.width;
        EXPECT_EQ(coded[i].keyframe, new_size) << "picture " << i;
    }
}

TEST_F(EncoderReconfigure, AnEncoderThatChangesInPlaceKeepsCodingThroughEveryChangeOfSize) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    start("encoder-abi-current", "abi-current", true);
    const std::vector<Coded> coded = next(45);
    stop();
    for (const Coded& c : coded) EXPECT_EQ(c.record.serial, coded.front().record.serial);  // one encoder throughout
    EXPECT_EQ(coded[0].record.width, 320u);
    EXPECT_EQ(coded[15].record.width, 160u);
    EXPECT_EQ(coded[25].record.width, 320u);
    expect_keyframes_at_each_size(coded);
    const VideoCounters counters = video_->counters();
    EXPECT_EQ(counters.encoders_made, 1u);
    EXPECT_GE(counters.resizes, 4u);
    EXPECT_EQ(counters.reconfigured, counters.resizes);
}

TEST_F(EncoderReconfigure, AnEncoderThatNeedsANewOneForASizeGetsOne) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    start("encoder-abi-current", "abi-current", true, {{"abi-current", {{"in-place", "rates"}}}});
    const std::vector<Coded> coded = next(45);
    stop();
    for (size_t i = 1; i < coded.size(); ++i) {
        const bool new_size = coded[i].record.width != coded[i - 1].record.width;
        EXPECT_EQ(coded[i].record.serial != coded[i - 1].record.serial, new_size) << "picture " << i;
        EXPECT_EQ(coded[i].record.height * 4, coded[i].record.width * 3);
    }
    expect_keyframes_at_each_size(coded);
    EXPECT_EQ(video_->counters().reconfigured, 0u);
}

TEST_F(EncoderReconfigure, ANewRateIsCodedFromTheNextPictureWithoutAKeyframe) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    start("encoder-abi-current", "abi-current", false);
    EXPECT_EQ(next(3).back().record.bitrate_kbps, 1000u);
    video_->want(1, "sizes", {300, 30, 1});  // a session that can take less
    // Pictures on their way (how many depends on the machine's load) still had the old rate.
    std::vector<Coded> coded;
    while (coded.size() < 30 && (coded.empty() || coded.back().record.bitrate_kbps != 300)) coded.push_back(next(1).at(0));
    stop();
    EXPECT_EQ(coded.back().record.bitrate_kbps, 300u);
    for (const Coded& c : coded) EXPECT_FALSE(c.keyframe);
    EXPECT_EQ(video_->counters().encoders_made, 1u);
    EXPECT_GE(video_->counters().reconfigured, 1u);
}

TEST_F(EncoderReconfigure, AnEncoderBuiltAgainstTheFrozen15HeaderIsMadeAgainForEachSize) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    const Factory& old = test::test_plugin("encoder-abi-1-5", TETHER_KIND_ENCODER, "abi-1.5");
    EXPECT_EQ(old.abi_version(), TETHER_ABI_VERSION(1, 5));
    // Its table ends where 1.5's did; the host reads nothing after that.
    EXPECT_EQ(old.table<tether_encoder_vtable>().struct_size, offsetof(tether_encoder_vtable, reconfigure));
    start("encoder-abi-1-5", "abi-1.5", true);
    const std::vector<Coded> coded = next(45);
    stop();
    for (size_t i = 1; i < coded.size(); ++i) {
        const bool new_size = coded[i].record.width != coded[i - 1].record.width;
        EXPECT_EQ(coded[i].record.serial != coded[i - 1].record.serial, new_size) << "picture " << i;
    }
    expect_keyframes_at_each_size(coded);
    const VideoCounters counters = video_->counters();
    EXPECT_EQ(counters.reconfigured, 0u);
    EXPECT_EQ(counters.encoders_made, counters.resizes + 1);
}

TEST_F(EncoderReconfigure, AnOldEncoderIsNotMadeAgainForEveryNewRate) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    const auto began = std::chrono::steady_clock::now();
    start("encoder-abi-1-5", "abi-1.5", false);
    next(3);
    // Twenty changes of a quarter or more, one a picture.
    uint32_t kbps = 1000;
    for (int i = 0; i < 20; ++i) {
        kbps = kbps * 3 / 2;
        video_->want(1, "sizes", {kbps, 30, 1});
        next(1);
    }
    stop();
    // One encoder for the start, and at most one more for each 5 s that passed.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began);
    EXPECT_LE(video_->counters().encoders_made, 1 + static_cast<uint64_t>(seconds.count()) / 5);
}

}  // namespace
}  // namespace tether
