// The hardware encoders on their hardware: desktop frames through each
// plugin, its bitstream decoded by the real ffmpeg. Where the probe says
// the hardware is not here, each test skips with the probe's reason (on
// every CI machine); with TETHER_REQUIRE_HARDWARE=nvenc (or vpl) an
// unavailable encoder of that plugin fails instead, as
// scripts/device-check-nvenc.sh runs it on a GPU machine.
#include "workload_frames.h"

#include <core/media.h>
#include <core/plugin_objects.h>
#include <core/plugin_registry.h>
#include <stream_file.h>
#include <process.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>

namespace tether::test {
namespace {

// A hardware encoder's pictures, decoded by ffmpeg, stay this close to the source on the workload.
constexpr double kMinLumaPsnrDb = 35;

using namespace std::chrono_literals;

// Frames of the workload to encode: TETHER_DEVICE_FRAMES (at most the clip's 150), 60 unless set.
uint32_t frames_to_encode() {
    const char* wanted = std::getenv("TETHER_DEVICE_FRAMES");
    const long n = wanted ? std::strtol(wanted, nullptr, 10) : 60;
    return static_cast<uint32_t>(std::clamp(n, 10L, 150L));
}

// The plugin's encoder through its C table, reconfigure (ABI 1.6) included.
class RawEncoder {
public:
    RawEncoder(const Factory& factory, const tether_encoder_config& config)
        : vt_(factory.table<tether_encoder_vtable>()) {
        object_ = vt_.create(factory.host(), &config, &error_);
        if (object_ == nullptr) throw std::runtime_error(factory.name + ": " + text_);
    }
    ~RawEncoder() { vt_.destroy(object_); }
    RawEncoder(const RawEncoder&) = delete;
    RawEncoder& operator=(const RawEncoder&) = delete;

    void encode(const VideoFrame& frame, bool keyframe, const std::function<void(EncodedPacket)>& on_packet) {
        auto sink = [](void* ctx, const tether_packet* packet) {
            (*static_cast<const std::function<void(EncodedPacket)>*>(ctx))(EncodedPacket::share(*packet));
        };
        const uint32_t flags = keyframe ? TETHER_ENCODE_FORCE_KEYFRAME : 0;
        if (vt_.encode(object_, &frame.raw, flags, sink, const_cast<std::function<void(EncodedPacket)>*>(&on_packet),
                       &error_) != TETHER_OK)
            throw std::runtime_error("encode: " + std::string(text_));
    }

    // True when applied in place; false when the plugin needs a new encoder for it.
    bool reconfigure(const tether_encoder_config& config) {
        if (vt_.reconfigure == nullptr) throw std::runtime_error("the plugin offers no reconfigure");
        const int status = vt_.reconfigure(object_, &config, &error_);
        if (status == TETHER_ERROR) throw std::runtime_error("reconfigure: " + std::string(text_));
        return status == TETHER_OK;
    }

private:
    const tether_encoder_vtable& vt_;
    void* object_ = nullptr;
    char text_[256] = {};
    tether_error error_{text_, sizeof text_};
};

class HardwareEncoder : public testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        registry_.load_search_path(plugin_search_path({}));
        factory_ = registry_.find(TETHER_KIND_ENCODER, GetParam());
        if (factory_ == nullptr) GTEST_SKIP() << GetParam() << " is not built or not loaded";
        const ProbeResult probed = probe(*factory_);
        if (probed.ok) return;
        const char* required = std::getenv("TETHER_REQUIRE_HARDWARE");
        if (required != nullptr && GetParam().starts_with(std::string(required) + "-"))
            FAIL() << GetParam() << " must run here: " << probed.reason;
        GTEST_SKIP() << GetParam() << ": " << probed.reason;
    }

    std::string codec() const { return factory_->table<tether_encoder_vtable>().codec; }

    tether_encoder_config config(uint32_t width, uint32_t height, uint32_t kbps) const {
        return {.struct_size = sizeof(tether_encoder_config),
                .width = width,
                .height = height,
                .fps = 30,
                .bitrate_kbps = kbps,
                .threads = 0,
                .speed = -1};
    }

    // "key,width,height" for each frame ffprobe decodes from the stream.
    std::vector<std::string> probed_frames(const std::filesystem::path& file) const {
        const CommandResult r = run_command({"ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                                             "frame=key_frame,width,height", "-of", "csv=p=0", file.string()},
                                            120s);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::vector<std::string> lines;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) lines.push_back(line);
        return lines;
    }

    PluginRegistry registry_;
    const Factory* factory_ = nullptr;
};

TEST_P(HardwareEncoder, FfmpegDecodesEveryFrameAbove35Db) {
    WorkloadClip clip;
    clip.frames = frames_to_encode();
    TempDir dir;
    const std::vector<VideoFrame> source = read_y4m_frames(workload_y4m(dir, clip));
    ASSERT_EQ(source.size(), clip.frames);
    RawEncoder encoder(*factory_, config(clip.width, clip.height, 2000));
    const auto file = dir.path() / ("stream." + StreamFile::extension(codec()));
    StreamFile stream(file, codec(), clip.width, clip.height, 30);
    size_t packets = 0;
    const auto started = std::chrono::steady_clock::now();
    for (size_t i = 0; i < source.size(); ++i)
        encoder.encode(source[i], i == 0, [&](EncodedPacket packet) {
            EXPECT_EQ(packet.keyframe(), packets == 0) << "packet " << packets;  // an IDR only when asked
            EXPECT_EQ(packet.frame_number, source[packets].raw.frame_number);
            stream.write(packet.data.bytes());
            ++packets;
        });
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    stream.close();
    RecordProperty("ms_per_frame", std::to_string(ms / static_cast<double>(source.size())));
    ASSERT_EQ(packets, source.size()) << "one packet a picture: nothing held back";

    const auto decoded_file = dir.path() / "decoded.yuv";
    run_ffmpeg({"-f", StreamFile::extension(codec()), "-i", file.string(), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                decoded_file.string()});
    std::ifstream in(decoded_file, std::ios::binary);
    const std::vector<uint8_t> decoded{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const size_t frame_bytes = source.front().buffer.size();
    ASSERT_EQ(decoded.size(), frame_bytes * source.size()) << "ffmpeg decoded another number of frames";
    double total = 0;
    for (size_t i = 0; i < source.size(); ++i) {
        const double psnr = luma_psnr(source[i].raw.planes[0], source[i].raw.strides[0], &decoded[i * frame_bytes],
                                      clip.width, clip.width, clip.height);
        EXPECT_GE(psnr, kMinLumaPsnrDb) << GetParam() << " frame " << i;
        total += psnr;
    }
    RecordProperty("mean_luma_psnr_db", std::to_string(total / static_cast<double>(source.size())));
}

TEST_P(HardwareEncoder, ReconfiguresTheRateWithoutAKeyframeAndTheSizeWithOne) {
    WorkloadClip large;
    large.frames = 20;
    WorkloadClip small = large;
    small.width = 480;
    small.height = 270;
    TempDir dir;
    const std::vector<VideoFrame> first = read_y4m_frames(workload_y4m(dir, large));
    TempDir other;
    const std::vector<VideoFrame> second = read_y4m_frames(workload_y4m(other, small));
    RawEncoder encoder(*factory_, config(large.width, large.height, 2000));
    const auto file = dir.path() / ("stream." + StreamFile::extension(codec()));
    StreamFile stream(file, codec(), large.width, large.height, 30);
    std::vector<EncodedPacket> packets;
    auto keep = [&](EncodedPacket packet) {
        stream.write(packet.data.bytes());
        packets.push_back(std::move(packet));
    };
    for (size_t i = 0; i < 10; ++i) encoder.encode(first[i], i == 0, keep);
    ASSERT_TRUE(encoder.reconfigure(config(large.width, large.height, 800)));
    for (size_t i = 10; i < 20; ++i) encoder.encode(first[i], false, keep);
    ASSERT_TRUE(encoder.reconfigure(config(small.width, small.height, 800)));
    for (const VideoFrame& frame : second) encoder.encode(frame, false, keep);
    stream.close();
    ASSERT_EQ(packets.size(), 40u);
    for (size_t i = 1; i < 20; ++i) EXPECT_FALSE(packets[i].keyframe()) << "packet " << i << ": a rate change needs no keyframe";
    EXPECT_TRUE(packets[20].keyframe()) << "a new size starts from a keyframe";
    EXPECT_EQ(packets[20].width, small.width);
    const std::vector<std::string> decoded = probed_frames(file);
    ASSERT_EQ(decoded.size(), 40u);
    EXPECT_EQ(decoded[19], "0,640,360");
    EXPECT_EQ(decoded[20], "1,480,270");
}

INSTANTIATE_TEST_SUITE_P(Encoders, HardwareEncoder,
                         testing::Values("nvenc-h264", "nvenc-hevc", "nvenc-av1", "vpl-h264", "vpl-hevc", "vpl-av1"),
                         [](const testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

}  // namespace
}  // namespace tether::test
