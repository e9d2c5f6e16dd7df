// capture-x11: the X11 screen, through XCB and MIT-SHM, as BGRA pictures.
// A screen that has not changed since the last picture gives none
// (TETHER_AGAIN): nothing is encoded or sent. `capture.source` names the
// display (":1"); empty means $DISPLAY.
#include "x11_screen.h"

#include <tether/plugin.hpp>

#include <cstring>
#include <stdexcept>
#include <string>

namespace tether::x11 {
namespace {

class X11Capture {
public:
    static int probe(const tether_host_api*, std::string& why) {
        try {
            X11Screen screen("");
            return TETHER_OK;
        } catch (const std::exception& e) {
            why = e.what();
            return TETHER_UNAVAILABLE;
        }
    }

    X11Capture(const tether_host_api* host, const tether_capture_config& config)
        : host_(host), screen_(config.source != nullptr ? config.source : "") {}
    ~X11Capture() {
        if (last_ != nullptr) host_->buffer_unref(last_);
    }
    X11Capture(const X11Capture&) = delete;
    X11Capture& operator=(const X11Capture&) = delete;

    int grab(tether_video_frame& frame) {
        const std::span<const uint8_t> pixels = screen_.read();
        // Compared with the last picture given, which we keep a reference to: no copy of our own.
        if (last_ != nullptr && last_->size == pixels.size() && std::memcmp(last_->data, pixels.data(), pixels.size()) == 0)
            return TETHER_AGAIN;
        tether_buffer* buffer = host_->buffer_alloc(pixels.size());
        if (buffer == nullptr) throw std::runtime_error("out of memory for a " + std::to_string(pixels.size()) + "-byte picture");
        std::memcpy(buffer->data, pixels.data(), pixels.size());
        if (last_ != nullptr) host_->buffer_unref(last_);
        host_->buffer_ref(buffer);
        last_ = buffer;
        frame.format = TETHER_PIXEL_BGRA;
        frame.width = screen_.width();
        frame.height = screen_.height();
        frame.planes[0] = buffer->data;
        frame.strides[0] = screen_.width() * 4;
        frame.buffer = buffer;
        frame.frame_number = next_frame_++;
        frame.capture_time_us = host_->now_us();
        return TETHER_OK;
    }

private:
    const tether_host_api* host_;
    X11Screen screen_;
    tether_buffer* last_ = nullptr;  // the last picture given, to tell "unchanged"
    uint64_t next_frame_ = 0;
};

constexpr tether_capture_vtable vtable = capture_vtable<X11Capture>(TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA));
// The probe opens $DISPLAY: another value may give another answer.
constexpr const char* probe_inputs[] = {"$DISPLAY", nullptr};
constexpr tether_factory x11_factory =
    factory(TETHER_KIND_CAPTURE, "x11", "The X11 screen through XCB and MIT-SHM; an unchanged screen gives no picture",
            0, &vtable, nullptr, probe_inputs);

}  // namespace
}  // namespace tether::x11

TETHER_PLUGIN("capture-x11", "0.1.0", "X11 screen capture", &tether::x11::x11_factory)
