// Pictures travel capture -> encoder plugin -> TCP plugin -> decoder plugin
// through real sockets and the encrypted session: the frame numbers read back
// from the decoded pixels arrive in order, every gap is one a skip accounts
// for, and what one viewer does (stall, ask for keyframes) costs the others
// nothing.
#include "build_parts.h"
#include "raw_session.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using test::TestHost;

// Every picture shown decoded, in order; a frame number missing between two
// shown ones is one that a counted skip explains (the host's, the viewer's,
// or one no encoder saw), never a silent loss.
void expect_in_order_and_accounted(const ViewerReport& r, uint64_t host_skipped, uint64_t never_encoded) {
    ASSERT_GE(r.frames, 10u);
    EXPECT_EQ(r.unreadable, 0u);
    EXPECT_EQ(r.out_of_order, 0u);
    EXPECT_EQ(r.decode_errors, 0u);
    ASSERT_EQ(r.frame_numbers.size(), r.frames);
    for (size_t i = 1; i < r.frame_numbers.size(); ++i) EXPECT_GT(r.frame_numbers[i], r.frame_numbers[i - 1]);
    EXPECT_LE(r.missing, host_skipped + r.skipped + never_encoded);
    for (int64_t latency : r.latencies_us) EXPECT_GE(latency, 0);
}

uint64_t host_skips(TestHost& host) {
    uint64_t skipped = 0;
    for (const auto& s : host.server.reports()) skipped += s.frames_skipped;
    return skipped;
}

// Pictures the host's encoders never saw: skipped before them, or left out while a session held
// its feed or asked for a lower frame rate.
uint64_t never_encoded(TestHost& host) {
    const VideoCounters counters = host.video.counters();
    return counters.skipped_before_encode + counters.paced;
}

using test::wait_for_frames;

class CodecStream : public ::testing::TestWithParam<std::string> {};

TEST_P(CodecStream, FrameNumbersSurviveEncodeTransportDecodeInOrder) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video(GetParam(), 320, 240));
    auto viewer = host.viewer(test::view_only(GetParam()));
    host.video.start();
    wait_for_frames(*viewer, 40, 20s);
    host.video.stop();
    std::this_thread::sleep_for(200ms);  // let the last pictures land
    viewer->stop("test done");

    const ViewerReport r = viewer->report();
    EXPECT_TRUE(r.logged_in);
    EXPECT_EQ(r.codec, GetParam());
    EXPECT_EQ(r.width, 320u);
    EXPECT_EQ(r.height, 240u);
    expect_in_order_and_accounted(r, host_skips(host), never_encoded(host));
    EXPECT_TRUE(host.video.error().empty()) << host.video.error();
}

INSTANTIATE_TEST_SUITE_P(Vpx, CodecStream, ::testing::Values("vp8", "vp9"));

// What a healthy viewer received over one stretch of time.
struct Stretch {
    uint64_t frames = 0;
    uint64_t keyframes = 0;
    uint64_t bytes = 0;
    double seconds = 0;
    double bytes_per_frame() const { return frames ? static_cast<double>(bytes) / static_cast<double>(frames) : 0; }
};

Stretch measure(const Viewer& viewer, std::chrono::milliseconds length, const std::function<void()>& meanwhile = {}) {
    const ViewerReport before = viewer.report();
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + length;
    while (std::chrono::steady_clock::now() < end) {
        if (meanwhile)
            meanwhile();
        else
            std::this_thread::sleep_for(10ms);
    }
    const ViewerReport after = viewer.report();
    return {after.frames - before.frames, after.keyframes - before.keyframes, after.bytes_received - before.bytes_received,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

// A live desktop and one healthy viewer, measured alone and then beside another session.
class SharedStream : public ::testing::Test {
protected:
    std::optional<TestHost> host;  // made once SetUp() knows the build has its plugins
    std::unique_ptr<Viewer> healthy;

    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        auto options = test::synthetic_video("vp9", 640, 360, Pacing::RealTime);
        // A ceiling the rate controller starts at: bytes per picture compare across the stretches.
        options.encoder_config.bitrate_kbps = 500;
        host.emplace(options);
        host->context.limits.write_timeout = 2s;
        healthy = host->viewer(test::view_only("vp9"));
        host->video.start();
        wait_for_frames(*healthy, 15, 10s);
        ASSERT_GE(healthy->report().frames, 15u);
    }
    void TearDown() override {
        if (!host) return;  // skipped
        host->video.stop();
        healthy->stop("test done");
    }

    // The healthy viewer's pictures beside the other session are as many keyframes
    // (one a second at most) and as many bytes per picture as when it was alone.
    static void expect_unaffected(const Stretch& alone, const Stretch& beside) {
        RecordProperty("bytes_per_picture_alone", std::to_string(alone.bytes_per_frame()));
        RecordProperty("bytes_per_picture_beside", std::to_string(beside.bytes_per_frame()));
        RecordProperty("keyframes_beside", std::to_string(beside.keyframes) + " in " + std::to_string(beside.seconds) + " s");
        ASSERT_GT(alone.frames, 30u);
        ASSERT_GT(beside.frames, 30u);
        EXPECT_LE(static_cast<double>(beside.keyframes), beside.seconds) << beside.keyframes << " keyframes";
        EXPECT_LT(beside.bytes_per_frame(), 1.2 * alone.bytes_per_frame())
            << beside.bytes_per_frame() << " bytes per picture beside, " << alone.bytes_per_frame() << " alone";
    }
};

TEST_F(SharedStream, AStalledViewerCostsAHealthyOneNothingAndIsDroppedAtTheWriteTimeout) {
    const Stretch alone = measure(*healthy, 3s);
    // Logs in, then never reads a byte; its small receive window fills at once.
    test::RawSession stuck(host->server.address(), {.source = "127.0.0.2", .receive_buffer = 4096});
    ASSERT_TRUE(stuck.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    const auto stalled_at = std::chrono::steady_clock::now();
    const Stretch beside = measure(*healthy, 4s);
    expect_unaffected(alone, beside);

    // The host gave up on it once it had read nothing for the write timeout.
    const auto ended = host->ended_sessions(1, 10s);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_NE(ended.front().end_reason.find("read nothing for 2 s"), std::string::npos) << ended.front().end_reason;
    EXPECT_GE(std::chrono::steady_clock::now() - stalled_at, host->context.limits.write_timeout);
    EXPECT_FALSE(healthy->ended());
}

TEST_F(SharedStream, AViewOnlySessionAskingForKeyframesNonStopCostsOthersNothing) {
    const Stretch alone = measure(*healthy, 3s);
    test::RawSession asker(host->server.address(), {.source = "127.0.0.3"});
    ASSERT_TRUE(asker.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    proto::SessionMessage request;
    request.mutable_keyframe_request()->set_reason("again");
    auto next_request = std::chrono::steady_clock::now();
    const Stretch beside = measure(*healthy, 4s, [&] {
        // 100 requests a second, and it reads what it gets so it stays a healthy session itself.
        if (std::chrono::steady_clock::now() >= next_request) {
            asker.send(request);
            next_request += 10ms;
        }
        asker.receive(5ms);
    });
    expect_unaffected(alone, beside);
    EXPECT_FALSE(healthy->ended());
}

// A viewer asks for a keyframe when it missed something; its request may cross a keyframe already on
// its way. The pictures go on meanwhile: those after that keyframe are ones it can show.
TEST_F(SharedStream, AViewersKeyframeRequestStopsNoPicturesOnTheWay) {
    test::RawSession asker(host->server.address(), {.source = "127.0.0.4"});
    ASSERT_TRUE(asker.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    const auto pictures_within = [&](std::chrono::milliseconds length) {
        size_t pictures = 0;
        for (const auto until = std::chrono::steady_clock::now() + length; std::chrono::steady_clock::now() < until;)
            if (const auto m = asker.receive(20ms); m && m->has_video_frame()) ++pictures;
        return pictures;
    };
    ASSERT_GT(pictures_within(1s), 5u);
    proto::SessionMessage request;
    request.mutable_keyframe_request()->set_reason("missed pictures");
    asker.send(request);
    // Its own keyframe may wait for the session's ration (5 s); the pictures do not.
    EXPECT_GT(pictures_within(2s), 15u);
}

TEST(Stream, ALongSessionKeepsOnlyTheLatestPicturesNumbers) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video("vp9", 160, 120));
    auto options = test::view_only("vp9");
    options.per_picture_kept = 40;
    auto viewer = host.viewer(options);
    host.video.start();
    wait_for_frames(*viewer, 200, 30s);
    host.video.stop();
    viewer->stop("test done");
    const ViewerReport r = viewer->report();
    ASSERT_GE(r.frames, 200u);
    EXPECT_LE(r.frame_numbers.size(), 40u);
    EXPECT_EQ(r.latencies_us.size(), r.frame_numbers.size());
    EXPECT_EQ(r.out_of_order, 0u);  // counted over every picture all the same
}

// Nobody watching, the host grabs nothing; the picture it has is as old as that. A viewer's
// first picture is grabbed after it came (or the screen is unchanged since, and it is stamped
// now), so its latency says how late the picture is, not how long the host sat alone.
TEST(Stream, AViewersFirstPictureIsNoOlderThanItsSessionHoweverLongTheHostSatUnwatched) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    constexpr auto kUnwatched = 2s;
    TestHost host(test::synthetic_video("vp9", 160, 120, Pacing::RealTime));
    host.video.start();
    // The first viewer of the host's life, then one after the host sat unwatched again.
    for (const char* which : {"first", "next"}) {
        std::this_thread::sleep_for(kUnwatched);
        auto viewer = host.viewer(test::view_only("vp9"));
        wait_for_frames(*viewer, 5, 30s);
        viewer->stop("test done");
        const ViewerReport r = viewer->report();
        ASSERT_FALSE(r.latencies_us.empty()) << which << ": " << r.end_reason;
        EXPECT_LT(r.latencies_us.front(), std::chrono::microseconds(kUnwatched).count()) << which << " viewer";
    }
    host.video.stop();
}

TEST(Stream, EachViewerGetsTheHostsFirstCodecThatItDecodes) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video(std::vector<std::string>{"vp9", "vp8"}, 160, 120, Pacing::RealTime));
    EXPECT_EQ(host.video.codecs(), (std::vector<std::string>{"vp9", "vp8"}));
    auto only_vp8 = host.viewer(test::view_only("vp8"));
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!only_vp8->logged_in() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    auto vp9_viewer = host.viewer(test::view_only("vp9"));  // with the next one-time password
    host.video.start();
    wait_for_frames(*only_vp8, 20, 30s);
    wait_for_frames(*vp9_viewer, 20, 30s);
    host.video.stop();
    only_vp8->stop("test done");
    vp9_viewer->stop("test done");
    for (const auto* viewer : {only_vp8.get(), vp9_viewer.get()}) {
        const ViewerReport r = viewer->report();
        EXPECT_GE(r.frames, 20u) << r.codec << ": " << r.end_reason;
        EXPECT_EQ(r.decode_errors, 0u);
        expect_in_order_and_accounted(r, host_skips(host), never_encoded(host));
    }
    EXPECT_EQ(only_vp8->report().codec, "vp8");
    EXPECT_EQ(vp9_viewer->report().codec, "vp9");
}

// The second codec's encoder lives only while some session decodes it: its
// memory and threads go back when the last such viewer leaves, and a new
// encoder starts for the next one.
TEST(Stream, AnEncoderThatNoSessionNeedsStopsAndStartsAgainForTheNext) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video(std::vector<std::string>{"vp9", "vp8"}, 160, 120, Pacing::RealTime));
    auto vp9_viewer = host.viewer(test::view_only("vp9"));
    host.video.start();
    for (int round = 1; round <= 2; ++round) {
        wait_for_frames(*vp9_viewer, 5 * static_cast<uint64_t>(round), 30s);  // logged in: the next password is shown
        auto vp8_viewer = host.viewer(test::view_only("vp8"));
        wait_for_frames(*vp8_viewer, 10, 30s);
        EXPECT_GE(vp8_viewer->report().frames, 10u) << vp8_viewer->report().end_reason;
        vp8_viewer->stop("test done");
        vp8_viewer.reset();
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (host.video.counters().encoders_stopped < static_cast<uint64_t>(round) &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(10ms);
        EXPECT_EQ(host.video.counters().encoders_stopped, static_cast<uint64_t>(round));
    }
    wait_for_frames(*vp9_viewer, 20, 30s);
    EXPECT_FALSE(vp9_viewer->ended()) << vp9_viewer->report().end_reason;  // the first codec went on throughout
    host.video.stop();
}

TEST(Stream, HostRefusesViewerThatCannotDecodeItsCodec) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    TestHost host(test::synthetic_video("vp9", 320, 240));
    const std::string password = host.authenticator.one_time_password();
    auto viewer = host.viewer(test::view_only("vp8"), password);
    host.video.start();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!viewer->ended() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(viewer->ended());
    EXPECT_NE(viewer->report().end_reason.find(
                  "the viewer decodes none of the codecs this host sends (host: vp9; viewer: vp8)"),
              std::string::npos)
        << viewer->report().end_reason;
    EXPECT_EQ(viewer->report().frames, 0u);
    EXPECT_FALSE(viewer->report().logged_in);
    // Refused before the password was checked: the one-time password still opens a session.
    EXPECT_EQ(host.authenticator.one_time_password(), password);
    auto next = host.viewer(test::view_only("vp9"), password);
    test::wait_for_frames(*next, 1, 30s);
    EXPECT_GE(next->report().frames, 1u) << next->report().end_reason;
    host.video.stop();
}

}  // namespace
}  // namespace tether::session
