// service-clipboard: the host's X11 clipboard shared with viewers. Text the
// host copies goes to every session on "clipboard" (CLIPBOARD) and, with
// `primary = true`, on "clipboard.primary" (PRIMARY); text a session with the
// clipboard permission sends becomes the host's selection. See docs/services.md.
#include "clipboard_loop.h"
#include "clipboard_settings.h"
#include "utf8_text.h"

#include <tether/plugin.hpp>

#include <cstring>
#include <optional>
#include <set>
#include <string>

namespace tether::clipboard {
namespace {

constexpr const char* clipboard_topic = "clipboard";
constexpr const char* primary_topic = "clipboard.primary";

class ClipboardService {
public:
    static int probe(const tether_host_api* host, std::string& why) {
        try {
            const ClipboardDisplay display(read_settings(host).display);
            return TETHER_OK;
        } catch (const std::exception& e) {
            why = e.what();
            return TETHER_UNAVAILABLE;
        }
    }

    explicit ClipboardService(const tether_host_api* host)
        : host_(host),
          settings_(read_settings(host)),
          loop_(settings_, [this](Selection selection, const std::string& utf8) { publish(selection, utf8); }) {}

    void on_message(const tether_service_message& message) {
        const std::optional<Selection> selection = selection_of(message.topic);
        if (!selection) return;
        if ((message.permissions & TETHER_PERMISSION_CLIPBOARD) == 0) {
            if (warned_.insert(message.session).second)
                log(TETHER_LOG_WARN, factory_name,
                    "session " + std::to_string(message.session) +
                        " may not use the clipboard: the text it sends is dropped");
            return;
        }
        // Viewers are no more trusted than X clients: their text is made valid UTF-8 too.
        std::string utf8 = repaired_utf8({reinterpret_cast<const char*>(message.data), message.size});
        if (!within_limit("a viewer's clipboard text", utf8.size(), settings_.max_bytes)) return;
        loop_.offer(*selection, std::move(utf8));
    }

    void on_session_end(uint64_t session) { warned_.erase(session); }

private:
    // PRIMARY is shared only when the settings ask for it.
    std::optional<Selection> selection_of(const char* topic) const {
        if (topic == nullptr) return std::nullopt;
        if (std::strcmp(topic, clipboard_topic) == 0) return Selection::clipboard;
        if (std::strcmp(topic, primary_topic) == 0 && settings_.primary) return Selection::primary;
        return std::nullopt;
    }

    void publish(Selection selection, const std::string& utf8) const {
        std::string why;
        const char* topic = selection == Selection::clipboard ? clipboard_topic : primary_topic;
        if (!tether::publish(host_, topic, {reinterpret_cast<const uint8_t*>(utf8.data()), utf8.size()}, 0, why))
            log(TETHER_LOG_WARN, factory_name, std::string("the host took no ") + topic + " text: " + why);
    }

    const tether_host_api* host_;
    ClipboardSettings settings_;
    std::set<uint64_t> warned_;  // sessions told once that they lack the permission
    ClipboardLoop loop_;         // last: its thread stops before the rest goes
};

constexpr const char* topics[] = {clipboard_topic, primary_topic, nullptr};
// The probe opens $DISPLAY: another value, or X servers coming and going, may give another answer.
constexpr const char* probe_inputs[] = {"$DISPLAY", "/tmp/.X11-unix", nullptr};
constexpr tether_service_vtable vtable = service_vtable<ClipboardService>(topics);
constexpr tether_factory clipboard_factory =
    factory(TETHER_KIND_SERVICE, factory_name,
            "The X11 clipboard (CLIPBOARD, and PRIMARY when asked) shared both ways through XFixes", 0, &vtable,
            &check_setting, probe_inputs);

}  // namespace
}  // namespace tether::clipboard

TETHER_PLUGIN("service-clipboard", "0.1.0", "X11 clipboard sharing", &tether::clipboard::clipboard_factory)
