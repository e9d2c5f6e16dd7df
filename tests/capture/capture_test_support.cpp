#include "capture_test_support.h"

#include <tether/i420.hpp>

#include <cstring>
#include <stdexcept>

namespace tether::test {

const Factory& capture_factory(std::string_view name) {
    static const PluginRegistry& registry = []() -> const PluginRegistry& {
        static PluginRegistry loaded;
        loaded.load_search_path(plugin_search_path({}));
        return loaded;
    }();
    if (const Factory* f = registry.find(TETHER_KIND_CAPTURE, name)) return *f;
    std::string why = "no capture plugin '" + std::string(name) + "' on the search path";
    for (const auto& failure : registry.failures()) why += "; " + failure.file.string() + ": " + failure.reason;
    throw std::runtime_error(why);
}

std::vector<uint8_t> i420_bytes(const tether_video_frame& frame) {
    const i420::Layout l = i420::layout(frame.width, frame.height);
    std::vector<uint8_t> out;
    out.reserve(l.total_bytes());
    const auto copy_plane = [&](int plane, uint32_t w, uint32_t h) {
        for (uint32_t row = 0; row < h; ++row) {
            const uint8_t* p = frame.planes[plane] + size_t{row} * frame.strides[plane];
            out.insert(out.end(), p, p + w);
        }
    };
    copy_plane(0, l.width, l.height);
    copy_plane(1, l.chroma_width, l.chroma_height);
    copy_plane(2, l.chroma_width, l.chroma_height);
    return out;
}

std::string y4m_file(std::string_view params, const std::vector<std::vector<uint8_t>>& frames) {
    std::string out = "YUV4MPEG2 " + std::string(params) + "\n";
    for (const auto& frame : frames) {
        out += "FRAME\n";
        out.append(reinterpret_cast<const char*>(frame.data()), frame.size());
    }
    return out;
}

std::vector<std::vector<uint8_t>> patterned_frames(uint32_t width, uint32_t height, int count) {
    std::vector<std::vector<uint8_t>> frames;
    for (int f = 0; f < count; ++f) {
        std::vector<uint8_t> bytes(i420::layout(width, height).total_bytes());
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + static_cast<size_t>(f) * 31);
        frames.push_back(std::move(bytes));
    }
    return frames;
}

}  // namespace tether::test
