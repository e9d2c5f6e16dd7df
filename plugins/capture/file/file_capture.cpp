// capture-file: plays a .y4m file frame by frame, so benchmarks and tests can
// feed recorded desktops through the same path as a live capturer.
#include <tether/i420.hpp>
#include "y4m_reader.h"

#include <tether/plugin.hpp>

#include <stdexcept>
#include <string>

namespace tether::file_capture {
namespace {

y4m::Reader open_source(const tether_capture_config& config) {
    if (config.source == nullptr || config.source[0] == '\0')
        throw std::runtime_error("file capture needs a source: the path of a .y4m file");
    return y4m::Reader(config.source);
}

class FileCapture {
public:
    static int probe(const tether_host_api*, std::string&) { return TETHER_OK; }

    FileCapture(const tether_host_api* host, const tether_capture_config& config)
        : host_(host), reader_(open_source(config)) {
        const y4m::Header& h = reader_.header();
        layout_ = i420::layout(h.width, h.height);
        if ((config.width != 0 || config.height != 0) && (config.width != h.width || config.height != h.height))
            throw std::runtime_error("configured size " + std::to_string(config.width) + "x" +
                                     std::to_string(config.height) + " does not match " + config.source + " (" +
                                     std::to_string(h.width) + "x" + std::to_string(h.height) + ")");
    }

    int grab(tether_video_frame& frame) {
        const int status = i420::capture_into(host_, layout_, frame, next_frame_, [&](tether_video_frame& f) {
            return reader_.next({f.buffer->data, layout_.total_bytes()});
        });
        if (status == TETHER_OK) ++next_frame_;
        return status;
    }

private:
    const tether_host_api* host_;
    y4m::Reader reader_;
    i420::Layout layout_{};
    uint64_t next_frame_ = 0;
};

constexpr tether_capture_vtable vtable = capture_vtable<FileCapture>(TETHER_PIXEL_BIT(TETHER_PIXEL_I420));
constexpr tether_factory file_factory =
    factory(TETHER_KIND_CAPTURE, "file", "Frames of a .y4m file, in order, ending at its end", 0, &vtable);

}  // namespace
}  // namespace tether::file_capture

TETHER_PLUGIN("capture-file", "0.1.0", "Plays .y4m video files as a capture source", &tether::file_capture::file_factory)
