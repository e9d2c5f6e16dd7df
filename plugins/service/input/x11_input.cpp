// service-input: a viewer's pointer and keys ("input", tether_input_event)
// typed into an X server through XTEST. `[plugins.x11-input] display` names
// the server (":1"); unset, $DISPLAY does.
#include "injector.h"

#include <tether/plugin.hpp>

#include <xcb/xcb.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tether::input {
namespace {

constexpr const char* kFactory = "x11-input";

std::string display_setting(const tether_host_api* host) { return setting(host, kFactory, "display").value_or(""); }

int check_setting(const char* key, const char* value, tether_error* why) {
    if (key == nullptr || std::string_view(key) != "display") {
        write_error(why, "is not a setting of x11-input (display)");
        return TETHER_ERROR;
    }
    char* host = nullptr;
    int display = 0;
    int screen = 0;
    const bool valid = value != nullptr && xcb_parse_display(value, &host, &display, &screen) != 0;
    std::free(host);
    if (valid) return TETHER_OK;
    write_error(why, "must name an X display, such as \":1\"");
    return TETHER_ERROR;
}

// The fields `data` holds of an event of its type; nullopt when it is too
// short for them or of a type this service does not know.
std::optional<tether_input_event> decode(const uint8_t* data, size_t size) {
    if (data == nullptr) return std::nullopt;
    tether_input_event event{};
    std::memcpy(&event, data, std::min(size, sizeof event));  // the payload need not be aligned
    const size_t given = std::min<size_t>(size, event.struct_size);
    size_t needed = 0;
    switch (event.type) {
    case TETHER_INPUT_POINTER: needed = TETHER_SIZE_THROUGH(tether_input_event, wheel_y); break;
    case TETHER_INPUT_KEY: needed = TETHER_SIZE_THROUGH(tether_input_event, down); break;
    default: return std::nullopt;
    }
    if (given < needed) return std::nullopt;
    return event;
}

class InputService {
public:
    static int probe(const tether_host_api* host, std::string& why) {
        try {
            X11Connection x(display_setting(host));
            return TETHER_OK;
        } catch (const std::exception& e) {
            why = e.what();
            return TETHER_UNAVAILABLE;
        }
    }

    explicit InputService(const tether_host_api* host) : host_(host), injector_(display_setting(host)) {}

    // The host calls one at a time, so nothing here is shared between threads.
    void on_message(const tether_service_message& message) {
        const uint32_t permissions =
            TETHER_HAS_FIELD(&message, tether_service_message, permissions) ? message.permissions : 0;
        if ((permissions & TETHER_PERMISSION_INPUT) == 0) {
            if (refused_.insert(message.session).second)
                log(TETHER_LOG_WARN, "session " + std::to_string(message.session) + " may not send input: dropped");
            return;
        }
        if (injector_.broken()) {
            if (!broken_logged_)
                log(TETHER_LOG_ERROR, "the connection to X display " + injector_.display() + " broke: input is dropped");
            broken_logged_ = true;
            return;
        }
        const auto event = decode(message.data, message.size);
        if (!event) {
            log(TETHER_LOG_DEBUG, "a malformed input event of " + std::to_string(message.size) + " bytes: dropped");
            return;
        }
        if (event->type == TETHER_INPUT_POINTER)
            injector_.pointer(message.session, event->x, event->y, event->buttons, event->wheel_x, event->wheel_y);
        else if (!injector_.key(message.session, event->keysym, event->down != 0)) {
            char keysym[16];
            std::snprintf(keysym, sizeof keysym, "0x%x", event->keysym);
            log(TETHER_LOG_DEBUG, std::string("keysym ") + keysym + " cannot be typed now: dropped");
        }
    }

    void on_session_end(uint64_t session) {
        refused_.erase(session);
        injector_.end(session);
    }

private:
    void log(tether_log_level level, const std::string& text) const { host_->log(level, kFactory, text.c_str()); }

    const tether_host_api* host_;
    Injector injector_;
    std::set<uint64_t> refused_;  // sessions already warned about, one warning each
    bool broken_logged_ = false;
};

constexpr const char* kTopics[] = {"input", nullptr};
// The probe opens $DISPLAY: another value, or X servers coming and going, may give another answer.
constexpr const char* kProbeInputs[] = {"$DISPLAY", "/tmp/.X11-unix", nullptr};
constexpr tether_service_vtable vtable = service_vtable<InputService>(kTopics);
constexpr tether_factory input_factory =
    factory(TETHER_KIND_SERVICE, kFactory, "A viewer's pointer and keys, typed into an X server through XTEST", 0,
            &vtable, &check_setting, kProbeInputs);

}  // namespace
}  // namespace tether::input

TETHER_PLUGIN("service-input", "0.1.0", "Remote input into X11 through XTEST", &tether::input::input_factory)
