// Pictures travel capture -> encoder plugin -> TCP plugin -> decoder plugin
// through real sockets, and the frame numbers read back from the decoded
// pixels arrive complete and in order.
#include "core/plugin_objects.h"
#include "session/host_server.h"
#include "session/protocol.h"
#include "session/viewer.h"

#include <gtest/gtest.h>

#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

class StreamTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry = new PluginRegistry();
        registry->load_search_path(plugin_search_path({}));
    }
    static void TearDownTestSuite() { delete registry; }

    static const Factory& need(tether_kind kind, const std::string& name) {
        const Factory* f = registry->find(kind, name);
        if (f == nullptr) throw std::runtime_error("plugin factory missing: " + name);
        return *f;
    }

    static VideoServiceOptions video_options(const std::string& codec, uint32_t w, uint32_t h) {
        VideoServiceOptions o;
        o.capture = &need(TETHER_KIND_CAPTURE, "synthetic");
        o.capture_config = {sizeof(tether_capture_config), w, h, 30, nullptr};
        o.encoder = &need(TETHER_KIND_ENCODER, "vpx-" + codec);
        o.encoder_config = {sizeof(tether_encoder_config), 0, 0, 30, 0, 0, -1};
        o.pacing = Pacing::Lockstep;  // every captured frame is encoded
        return o;
    }

    static ViewerOptions viewer_options(const std::string& codec) {
        ViewerOptions o;
        o.decoders = {&need(TETHER_KIND_DECODER, "vpx-" + codec)};
        return o;
    }

    static void expect_complete_and_in_order(const ViewerReport& r) {
        ASSERT_GE(r.frames, 10u);
        EXPECT_EQ(r.unreadable, 0u);
        EXPECT_EQ(r.out_of_order, 0u);
        EXPECT_EQ(r.missing, 0u);
        EXPECT_EQ(r.decode_errors, 0u);
        ASSERT_EQ(r.frame_numbers.size(), r.frames);
        EXPECT_EQ(r.frame_numbers.front(), 0u);  // the session starts at a keyframe: the first one
        for (size_t i = 1; i < r.frame_numbers.size(); ++i) EXPECT_EQ(r.frame_numbers[i], r.frame_numbers[i - 1] + 1);
        for (int64_t latency : r.latencies_us) EXPECT_GE(latency, 0);
    }

    static PluginRegistry* registry;
};
PluginRegistry* StreamTest::registry = nullptr;

class CodecStream : public StreamTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(CodecStream, FrameNumbersSurviveEncodeTransportDecodeInOrder) {
    Bus bus;
    VideoService video(bus, video_options(GetParam(), 320, 240));
    auto transport = Transport::create(need(TETHER_KIND_TRANSPORT, "tcp"));
    HostServer server(transport, "127.0.0.1:0", video);
    Viewer viewer(transport->connect(server.address(), 5s), viewer_options(GetParam()));
    video.start();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (viewer.report().frames < 40 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    video.stop();
    std::this_thread::sleep_for(200ms);  // let the last pictures land
    viewer.stop("test done");

    const ViewerReport r = viewer.report();
    EXPECT_EQ(r.codec, GetParam());
    EXPECT_EQ(r.width, 320u);
    EXPECT_EQ(r.height, 240u);
    expect_complete_and_in_order(r);
    EXPECT_TRUE(video.error().empty()) << video.error();
}

INSTANTIATE_TEST_SUITE_P(Vpx, CodecStream, ::testing::Values("vp8", "vp9"));

TEST_F(StreamTest, ViewerThatDoesNotReadDoesNotStallAnother) {
    Bus bus;
    VideoService video(bus, video_options("vp9", 640, 360));
    auto host_transport = Transport::create(need(TETHER_KIND_TRANSPORT, "tcp"));
    HostServer server(host_transport, "127.0.0.1:0", video);

    // A viewer on its own transport that greets and then never reads a byte.
    auto stuck_transport = Transport::create(need(TETHER_KIND_TRANSPORT, "tcp"));
    auto stuck = stuck_transport->connect(server.address(), 5s);
    proto::SessionMessage hello;
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->add_decoders("vp9");
    stuck->send(session::encode(hello));

    auto viewer_transport = Transport::create(need(TETHER_KIND_TRANSPORT, "tcp"));
    Viewer viewer(viewer_transport->connect(server.address(), 5s), viewer_options("vp9"));
    video.start();
    std::this_thread::sleep_for(3s);
    video.stop();
    std::this_thread::sleep_for(200ms);
    viewer.stop("test done");

    const ViewerReport r = viewer.report();
    expect_complete_and_in_order(r);
    // The reader got every picture the shared encoder made (a stalled encoder would have made few).
    EXPECT_GE(r.frames + 2, video.counters().encoded);
}

TEST_F(StreamTest, HostRefusesViewerThatCannotDecodeItsCodec) {
    Bus bus;
    VideoService video(bus, video_options("vp9", 320, 240));
    auto transport = Transport::create(need(TETHER_KIND_TRANSPORT, "tcp"));
    HostServer server(transport, "127.0.0.1:0", video);
    Viewer viewer(transport->connect(server.address(), 5s), viewer_options("vp8"));
    video.start();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!viewer.ended() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    video.stop();
    EXPECT_TRUE(viewer.ended());
    EXPECT_NE(viewer.report().end_reason.find("viewer cannot decode vp9"), std::string::npos)
        << viewer.report().end_reason;
    EXPECT_EQ(viewer.report().frames, 0u);
}

}  // namespace
}  // namespace tether::session
