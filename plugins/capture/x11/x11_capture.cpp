// capture-x11: the X11 screen, through XCB and MIT-SHM, as BGRA pictures.
// Damage (XDamage) says what changed: a screen where nothing did gives no
// picture (TETHER_AGAIN) without a pixel read, and a change reads only its
// rectangles, reported in frame.damage. The cursor comes apart (XFixes), the
// monitors from RandR. `capture.source` names the display (":1"); empty means
// $DISPLAY. docs/capture.md tells the whole behaviour.
#include "damage_region.h"
#include "x11_cursor.h"
#include "x11_damage.h"
#include "x11_monitors.h"
#include "x11_screen.h"
#include "xcb_helpers.h"

#include <tether/plugin.hpp>

#include <poll.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tether::x11 {
namespace {

// Reads in a row the X server may refuse (each a resize racing the read) before the capture gives up.
constexpr uint32_t kMostRefusedReads = 8;

struct Unref {
    const tether_host_api* host;
    void operator()(tether_buffer* buffer) const { host->buffer_unref(buffer); }
};
using HostBuffer = std::unique_ptr<tether_buffer, Unref>;

uint64_t covered_pixels(const std::vector<tether_rect>& rects) {
    uint64_t pixels = 0;
    for (const tether_rect& r : rects) pixels += uint64_t{r.width} * r.height;
    return pixels;
}

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
        : host_(host),
          track_damage_(setting(host, "x11", "damage").value_or("true") == "true"),
          screen_(config.source != nullptr ? config.source : ""),
          damage_(screen_.connection(), screen_.root(), screen_.has_xfixes()),
          cursor_(host, screen_.connection(), screen_.root(), screen_.has_xfixes()),
          layout_(screen_.connection(), screen_.root()),
          monitor_(TETHER_HAS_FIELD(&config, tether_capture_config, monitor) ? config.monitor : 0),
          last_(nullptr, Unref{host}) {
        if (const size_t count = layout_.list(screen_.bounds()).size(); monitor_ > count)
            throw std::runtime_error("there is no monitor " + std::to_string(monitor_) + ": the screen has " +
                                     std::to_string(count));
        area_ = chosen_area();
        if (!tracking())
            log(TETHER_LOG_INFO, "capture-x11",
                track_damage_ ? "the X server has no Damage (or XFixes 2): each grab reads the whole screen and compares"
                              : "damage = false: each grab reads the whole screen and compares");
        xcb_flush(screen_.connection());
    }

    int grab(tether_video_frame& frame) {
        pump();
        if (layout_.take_change()) relayout();
        std::vector<tether_rect> changed{area_};
        if (tracking()) {
            if (!whole_ && !damage_.pending()) return TETHER_AGAIN;
            const std::vector<tether_rect> damaged = damage_.take();  // taken even when all is read: it starts afresh
            if (!whole_) changed = simplify_damage(damaged, area_);
            if (changed.empty()) return TETHER_AGAIN;  // changes outside the captured monitor
        }
        const uint32_t stride = area_.width * 4;
        const size_t size = size_t{stride} * area_.height;
        HostBuffer buffer(host_->buffer_alloc(size), Unref{host_});
        if (!buffer) throw std::runtime_error("out of memory for a " + std::to_string(size) + "-byte picture");
        // The last picture is the host's now, never written again: the new one
        // starts as its copy, unless the rectangles (which never overlap) cover it all.
        if (tracking() && !whole_ && covered_pixels(changed) < uint64_t{area_.width} * area_.height)
            std::memcpy(buffer->data, last_->data, size);
        try {
            if (!screen_.read(changed, buffer->data, stride, area_)) {
                // Resized under the read: no picture now, the next at the new size. A server
                // that refuses read after read with no resize to explain it ends the capture.
                if (++refused_reads_ >= kMostRefusedReads)
                    throw std::runtime_error("the X server refused the screen's pixels " +
                                             std::to_string(kMostRefusedReads) + " times in a row");
                relayout();
                return TETHER_AGAIN;
            }
            refused_reads_ = 0;
        } catch (...) {
            whole_ = true;  // the damage taken is lost with this picture: the next is read whole
            throw;
        }
        // Without Damage, the whole screen was read: compared with the last picture, kept by reference.
        if (!tracking() && last_ && last_->size == size && std::memcmp(last_->data, buffer->data, size) == 0)
            return TETHER_AGAIN;
        whole_ = false;
        frame.format = TETHER_PIXEL_BGRA;
        frame.width = area_.width;
        frame.height = area_.height;
        frame.planes[0] = buffer->data;
        frame.strides[0] = stride;
        frame.frame_number = next_frame_++;
        frame.capture_time_us = host_->now_us();
        if (tracking() && TETHER_HAS_FIELD(&frame, tether_video_frame, damage)) {
            for (tether_rect& r : changed) {
                r.x -= area_.x;
                r.y -= area_.y;
            }
            reported_ = std::move(changed);
            frame.damage = reported_.data();
            frame.damage_count = static_cast<uint32_t>(reported_.size());
        }
        host_->buffer_ref(buffer.get());
        frame.buffer = buffer.get();
        last_ = std::move(buffer);
        return TETHER_OK;
    }

    int wait(uint32_t timeout_ms) {
        if (!tracking()) return TETHER_OK;  // only a grab can tell
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        for (;;) {
            pump();
            if (whole_ || damage_.pending() || layout_.changed()) return TETHER_OK;
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return TETHER_AGAIN;
            pollfd readable{xcb_get_file_descriptor(screen_.connection()), POLLIN, 0};
            if (poll(&readable, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
                throw std::runtime_error(std::string("cannot wait for the X display: ") + std::strerror(errno));
        }
    }

    int cursor(tether_cursor& cursor) {
        pump();
        return cursor_.report(cursor, area_);
    }

    int monitors(std::span<tether_monitor> out, uint32_t& count) {
        const std::vector<Monitor> listed = layout_.list(screen_.bounds());
        count = static_cast<uint32_t>(listed.size());
        for (size_t i = 0; i < listed.size() && i < out.size(); ++i) {
            tether_monitor& m = out[i];
            if (!TETHER_HAS_FIELD(&m, tether_monitor, name))
                throw std::runtime_error("a tether_monitor of " + std::to_string(m.struct_size) + " bytes is too small");
            m.area = listed[i].area;
            m.primary = listed[i].primary ? 1 : 0;
            const size_t n = std::min(listed[i].name.size(), sizeof m.name - 1);
            std::memcpy(m.name, listed[i].name.data(), n);
            m.name[n] = '\0';
        }
        return TETHER_OK;
    }

private:
    bool tracking() const { return track_damage_ && damage_.available(); }

    // Hands each event that came to the part it is for.
    void pump() {
        xcb_connection_t* connection = screen_.connection();
        while (const auto event = owned(xcb_poll_for_event(connection)))
            damage_.handle(*event) || cursor_.handle(*event) || layout_.handle(*event);
        if (xcb_connection_has_error(connection) != 0) throw std::runtime_error("the X display went away");
        xcb_flush(connection);
    }

    // The screen's size and the captured area again; the next picture is read whole.
    void relayout() {
        screen_.follow_size();
        area_ = chosen_area();
        whole_ = true;
    }

    // The configured monitor's area, or the whole screen while it is missing.
    tether_rect chosen_area() {
        if (monitor_ == 0) return screen_.bounds();
        const std::vector<Monitor> listed = layout_.list(screen_.bounds());
        const bool present = monitor_ <= listed.size();
        if (present == monitor_missing_) {
            monitor_missing_ = !present;
            const std::string which = "monitor " + std::to_string(monitor_);
            if (present) log(TETHER_LOG_INFO, "capture-x11", which + " is back: capturing it again");
            else log(TETHER_LOG_WARN, "capture-x11", which + " went away: capturing the whole screen until it is back");
        }
        return present ? listed[monitor_ - 1].area : screen_.bounds();
    }

    const tether_host_api* host_;
    const bool track_damage_;  // `damage = false` reads every picture whole, for comparison
    X11Screen screen_;
    X11Damage damage_;
    X11Cursor cursor_;
    X11Monitors layout_;
    const uint32_t monitor_;  // 1-based; 0: the whole screen
    bool monitor_missing_ = false;  // the monitor went away: the whole screen is captured meanwhile
    tether_rect area_{};  // what is captured, in the screen's pixels
    bool whole_ = true;   // the next picture is read whole: the first, or after a layout change
    HostBuffer last_;     // the last picture given
    std::vector<tether_rect> reported_;  // the last picture's damage, in its pixels
    uint64_t next_frame_ = 0;
    uint32_t refused_reads_ = 0;  // reads in a row the server refused
};

int check_setting(const char* key, const char* value, tether_error* why) {
    if (std::string_view(key) != "damage") {
        write_error(why, "is not a setting of x11 (damage)");
        return TETHER_ERROR;
    }
    if (std::string_view(value) != "true" && std::string_view(value) != "false") {
        write_error(why, "must be true or false");
        return TETHER_ERROR;
    }
    return TETHER_OK;
}

constexpr tether_capture_vtable vtable = capture_vtable<X11Capture>(TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA));
// The probe opens $DISPLAY: another value, or X servers coming and going, may give another answer.
constexpr const char* probe_inputs[] = {"$DISPLAY", "/tmp/.X11-unix", nullptr};
constexpr tether_factory x11_factory = factory(
    TETHER_KIND_CAPTURE, "x11",
    "The X11 screen through XCB and MIT-SHM: only what changed (Damage), the cursor apart (XFixes), monitors (RandR)", 0,
    &vtable, &check_setting, probe_inputs);

}  // namespace
}  // namespace tether::x11

TETHER_PLUGIN("capture-x11", "0.2.0", "X11 screen capture", &tether::x11::x11_factory)
