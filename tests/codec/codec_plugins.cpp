#include "codec_plugins.h"

#include <map>
#include <sstream>
#include <stdexcept>

namespace tether::test {
namespace {

struct Names {
    std::string encoder;
    std::string decoder;
};

const std::map<std::string, Names>& factory_names() {
    static const std::map<std::string, Names> names{
        {"vp8", {"vpx-vp8", "vpx-vp8"}},
        {"vp9", {"vpx-vp9", "vpx-vp9"}},
        {"av1", {"aom-av1", "dav1d-av1"}},
        {"h264", {"x264-h264", "avcodec-h264"}},
    };
    return names;
}

const Names& names_of(const std::string& codec) {
    const auto found = factory_names().find(codec);
    if (found == factory_names().end()) throw std::invalid_argument("no codec plugin makes " + codec);
    return found->second;
}

}  // namespace

std::vector<std::string> codecs_under_test() {
    // Set by tests/codec/CMakeLists.txt from the plugins this build made.
    std::istringstream list(TETHER_CODECS_UNDER_TEST);
    std::vector<std::string> codecs;
    for (std::string codec; std::getline(list, codec, ',');) codecs.push_back(codec);
    return codecs;
}

std::string ffmpeg_judge_decoder(const std::string& codec) {
    if (codec == "av1") return "libaom-av1";  // ours is dav1d
    if (codec == "vp8" || codec == "vp9" || codec == "h264") return codec;
    throw std::invalid_argument("no ffmpeg decoder to judge " + codec);
}

double min_luma_psnr_db(const std::string& codec, size_t since_keyframe) {
    // H.264's VBV of one frame (docs/codecs.md) gives a keyframe no more bits
    // than any frame: it comes blurred and the frames after it sharpen, by
    // the tenth as sharp as every frame of the other codecs.
    constexpr size_t h264_sharpening_frames = 10;
    if (codec == "h264" && since_keyframe < h264_sharpening_frames) return 22.0;
    return 35.0;
}

bool encodes_odd_sizes(const std::string& codec) {
    return codec != "h264";
}

bool refuses_speed_out_of_range(const std::string& codec) {
    return codec == "vp8" || codec == "vp9";
}

CodecPlugins::CodecPlugins() {
    registry_.load_search_path(plugin_search_path({}));
}

const Factory& CodecPlugins::encoder(const std::string& codec) const {
    return find(TETHER_KIND_ENCODER, names_of(codec).encoder);
}

const Factory& CodecPlugins::decoder(const std::string& codec) const {
    return find(TETHER_KIND_DECODER, names_of(codec).decoder);
}

const Factory& CodecPlugins::find(tether_kind kind, const std::string& name) const {
    if (const Factory* factory = registry_.find(kind, name)) return *factory;
    std::string why = std::string("no ") + kind_name(kind) + " named " + name + " was loaded";
    for (const LoadFailure& failure : registry_.failures()) {
        why += "; " + failure.file.string() + ": " + failure.reason;
    }
    throw std::runtime_error(why);
}

tether_encoder_config encoder_config(uint32_t width, uint32_t height, uint32_t bitrate_kbps) {
    return tether_encoder_config{
        .struct_size = sizeof(tether_encoder_config),
        .width = width,
        .height = height,
        .fps = 30,
        .bitrate_kbps = bitrate_kbps,
        .threads = 0,
        .speed = -1,
    };
}

}  // namespace tether::test
