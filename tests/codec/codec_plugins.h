// The real codec plugins, loaded through the plugin registry the way the
// host loads them, and what the tests need to know of each codec they make.
#pragma once

#include <core/plugin_registry.h>

#include <tether/plugin.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::test {

// The codecs whose plugins this build made ("vp8", "vp9", "av1", "h264"):
// the parametrised suites run for each.
std::vector<std::string> codecs_under_test();

// ffmpeg's decoder to judge a codec's stream with, independent of ours where it has one.
std::string ffmpeg_judge_decoder(const std::string& codec);

// The luma PSNR a codec keeps on the workload's frames, `since_keyframe`
// frames after the last keyframe (0: the keyframe itself).
double min_luma_psnr_db(const std::string& codec, size_t since_keyframe);

// Whether the codec codes pictures of odd width or height: H.264's 4:2:0
// crops in steps of two pixels, so it cannot.
bool encodes_odd_sizes(const std::string& codec);

// Whether the encoder refuses a speed outside its range (libvpx's speeds
// mean something else for each codec) or brings it into range (libaom, libx264).
bool refuses_speed_out_of_range(const std::string& codec);

class CodecPlugins {
public:
    CodecPlugins();  // loads the plugin search path ($TETHER_PLUGIN_PATH first)
    // The codec's software encoder or decoder; throws naming every load failure when it is missing.
    const Factory& encoder(const std::string& codec) const;
    const Factory& decoder(const std::string& codec) const;

private:
    const Factory& find(tether_kind kind, const std::string& name) const;
    PluginRegistry registry_;
};

// What a 640x360 screen share at 30 fps typically gets: small text stays
// readable even in keyframes, which rate control keeps to a few frames' budget.
inline constexpr uint32_t screen_share_kbps = 1000;

// A realtime configuration for the given size; the encoder picks threads and speed.
tether_encoder_config encoder_config(uint32_t width, uint32_t height, uint32_t bitrate_kbps);

// Names a parametrised case by its codec: "RoundTrip.OddSizes/av1".
inline std::string codec_case_name(const testing::TestParamInfo<std::string>& info) {
    return info.param;
}

}  // namespace tether::test
