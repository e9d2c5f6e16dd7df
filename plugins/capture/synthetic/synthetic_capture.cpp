// capture-synthetic: a deterministic desktop at any size, with the frame
// number and capture time stamped in its top rows, for tests and benchmarks
// that need a screen without a display server.
#include "canvas.h"
#include "desktop_scene.h"

#include <tether/i420.hpp>

#include <tether/frame_stamp.hpp>
#include <tether/plugin.hpp>

#include <stdexcept>
#include <string>

namespace tether::synthetic {
namespace {

constexpr uint32_t default_width = 1920;
constexpr uint32_t default_height = 1080;
constexpr uint32_t min_size = 16;
constexpr uint32_t max_size = 16384;

i420::Layout checked_size(const tether_capture_config& config) {
    if (config.width == 0 && config.height == 0) return i420::layout(default_width, default_height);
    const auto valid = [](uint32_t v) { return v >= min_size && v <= max_size && v % 2 == 0; };
    if (!valid(config.width) || !valid(config.height))
        throw std::runtime_error("synthetic capture size " + std::to_string(config.width) + "x" +
                                 std::to_string(config.height) + " is not supported: width and height must be even, " +
                                 std::to_string(min_size) + ".." + std::to_string(max_size) + ", or both 0");
    return i420::layout(config.width, config.height);
}

class SyntheticCapture {
public:
    static int probe(const tether_host_api*, std::string&) { return TETHER_OK; }

    SyntheticCapture(const tether_host_api* host, const tether_capture_config& config)
        : host_(host), layout_(checked_size(config)) {}

    int grab(tether_video_frame& frame) {
        return i420::capture_into(host_, layout_, frame, next_frame_++, [&](tether_video_frame& f) {
            const auto w = static_cast<int>(layout_.width), h = static_cast<int>(layout_.height);
            Canvas canvas(f.planes[0], f.planes[1], f.planes[2], static_cast<int>(f.strides[0]),
                          static_cast<int>(f.strides[1]), w, h);
            render_desktop(canvas, f.frame_number);
            stamp::write({f.frame_number, f.capture_time_us}, f.planes[0], f.strides[0], f.planes[1], f.planes[2],
                         f.strides[1], layout_.width, layout_.height);
            return true;
        });
    }

private:
    const tether_host_api* host_;
    i420::Layout layout_;
    uint64_t next_frame_ = 0;
};

constexpr tether_capture_vtable vtable = capture_vtable<SyntheticCapture>(TETHER_PIXEL_BIT(TETHER_PIXEL_I420));
constexpr tether_factory synthetic_factory =
    factory(TETHER_KIND_CAPTURE, "synthetic",
            "Deterministic moving desktop with frame number and capture time in the pixels", 0, &vtable);

}  // namespace
}  // namespace tether::synthetic

TETHER_PLUGIN("capture-synthetic", "0.1.0", "Synthetic desktop test source", &tether::synthetic::synthetic_factory)
