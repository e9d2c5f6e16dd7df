// Hostile or malformed session messages are refused before they do harm.
#include "session/protocol.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace tether::session {
namespace {

std::optional<proto::SessionMessage> round_trip(const proto::SessionMessage& m, std::string& error) {
    const BufferRef bytes = encode(m);
    return decode(bytes.bytes(), error);
}

TEST(Protocol, RoundTripsEveryMessage) {
    proto::SessionMessage m;
    auto* v = m.mutable_video_frame();
    v->set_frame_number(7);
    v->set_capture_time_us(123456789);
    v->set_keyframe(true);
    v->set_width(1920);
    v->set_height(1080);
    v->set_data(std::string(1000, 'x'));
    std::string error;
    const auto back = round_trip(m, error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->video_frame().frame_number(), 7u);
    EXPECT_EQ(back->video_frame().data().size(), 1000u);
}

TEST(Protocol, RefusesOversizedMessageWithoutParsing) {
    std::vector<uint8_t> huge(kMaxSessionMessage + 1, 0);
    std::string error;
    EXPECT_FALSE(decode(huge, error));
    EXPECT_NE(error.find("over the"), std::string::npos) << error;
}

TEST(Protocol, RefusesGarbage) {
    const std::vector<uint8_t> garbage{0xff, 0xff, 0xff, 0xff, 0x0f};
    std::string error;
    EXPECT_FALSE(decode(garbage, error));
    EXPECT_EQ(error, "malformed message");
}

TEST(Protocol, RefusesEmptyMessage) {
    std::string error;
    EXPECT_FALSE(decode({}, error));
    EXPECT_EQ(error, "empty message");
}

TEST(Protocol, RefusesOutOfRangeFields) {
    std::string error;
    proto::SessionMessage m;
    m.mutable_video_frame()->set_width(100000);
    m.mutable_video_frame()->set_height(10);
    m.mutable_video_frame()->set_data("x");
    EXPECT_FALSE(round_trip(m, error));

    proto::SessionMessage hello;
    for (int i = 0; i < 100; ++i) hello.mutable_hello()->add_decoders("vp9");
    EXPECT_FALSE(round_trip(hello, error));
    EXPECT_EQ(error, "hello lists too many decoders");

    proto::SessionMessage bye = goodbye(std::string(10000, 'r'));  // goodbye() trims what it sends
    EXPECT_TRUE(round_trip(bye, error)) << error;
}

TEST(Protocol, RefusesAPathReportThatIsNoNumberAndACodecNameOfNothingOrTooMuch) {
    std::string error;
    for (const float slope : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
        proto::SessionMessage stats;
        stats.mutable_stats()->set_delay_slope_ms_per_s(slope);
        EXPECT_FALSE(round_trip(stats, error));
        EXPECT_EQ(error, "delay trend not a number");
    }
    proto::SessionMessage sane;
    sane.mutable_stats()->set_delay_slope_ms_per_s(-12.5f);
    sane.mutable_stats()->set_queue_delay_us(UINT32_MAX);  // a lie the controller bounds, not a parse error
    EXPECT_TRUE(round_trip(sane, error)) << error;

    for (const std::string& codec : {std::string(), std::string(kMaxTextField + 1, 'v')}) {
        proto::SessionMessage ask;
        ask.mutable_switch_codec()->set_codec(codec);
        EXPECT_FALSE(round_trip(ask, error));
        EXPECT_EQ(error, "codec name empty or too long");
    }
    proto::SessionMessage frame;
    frame.mutable_video_frame()->set_width(64);
    frame.mutable_video_frame()->set_height(64);
    frame.mutable_video_frame()->set_data("x");
    frame.mutable_video_frame()->set_codec(std::string(kMaxTextField + 1, 'v'));
    EXPECT_FALSE(round_trip(frame, error));
    EXPECT_EQ(error, "codec name too long");
}

}  // namespace
}  // namespace tether::session
