#include "x11_monitors.h"

#include "damage_region.h"
#include "xcb_helpers.h"

#include <xcb/randr.h>

#include <stdexcept>

namespace tether::x11 {
namespace {

// More than any desk has; the rest of a longer list is left out.
constexpr uint32_t max_monitors = 64;

// The atom's name, or empty when the server's answer does not hold together.
std::string atom_name(xcb_connection_t* connection, xcb_get_atom_name_cookie_t request) {
    const auto reply = owned(xcb_get_atom_name_reply(connection, request, nullptr));
    if (!reply) return {};
    const char* name = xcb_get_atom_name_name(reply.get());
    const size_t length = reply->name_len;
    if (reinterpret_cast<const uint8_t*>(name) + length > reply_end(reply.get())) return {};
    return std::string(name, length);
}

}  // namespace

X11Monitors::X11Monitors(xcb_connection_t* connection, xcb_window_t root) : connection_(connection), root_(root) {
    const uint32_t structure = XCB_EVENT_MASK_STRUCTURE_NOTIFY;
    xcb_change_window_attributes(connection, root, XCB_CW_EVENT_MASK, &structure);
    if (!present(connection, &xcb_randr_id)) return;
    // RandR must be told which version the client speaks before its first request.
    const auto version = owned(xcb_randr_query_version_reply(connection, xcb_randr_query_version(connection, 1, 5),
                                                             nullptr));
    if (!version || version->major_version < 1 || (version->major_version == 1 && version->minor_version < 5)) return;
    has_randr_ = true;
    first_event_ = xcb_get_extension_data(connection, &xcb_randr_id)->first_event;
    xcb_randr_select_input(connection, root,
                           XCB_RANDR_NOTIFY_MASK_SCREEN_CHANGE | XCB_RANDR_NOTIFY_MASK_CRTC_CHANGE |
                               XCB_RANDR_NOTIFY_MASK_OUTPUT_CHANGE);
}

bool X11Monitors::handle(const xcb_generic_event_t& event) {
    const uint8_t type = event.response_type & 0x7f;
    const bool ours =
        (type == XCB_CONFIGURE_NOTIFY && reinterpret_cast<const xcb_configure_notify_event_t&>(event).window == root_) ||
        (has_randr_ && (type == first_event_ + XCB_RANDR_SCREEN_CHANGE_NOTIFY || type == first_event_ + XCB_RANDR_NOTIFY));
    changed_ = changed_ || ours;
    return ours;
}

std::vector<Monitor> X11Monitors::list(const tether_rect& screen) const {
    std::vector<Monitor> monitors;
    if (has_randr_) {
        const auto reply = answer(connection_, xcb_randr_get_monitors_reply, xcb_randr_get_monitors(connection_, root_, 1),
                                  "the monitors");
        // Walked by hand: each entry's size comes from the server, and must stay inside the reply.
        const uint8_t* at = reinterpret_cast<const uint8_t*>(reply.get()) + sizeof(xcb_randr_get_monitors_reply_t);
        const uint8_t* end = reply_end(reply.get());
        std::vector<xcb_get_atom_name_cookie_t> names;
        for (uint32_t i = 0; i < reply->nMonitors && i < max_monitors; ++i) {
            if (at + sizeof(xcb_randr_monitor_info_t) > end) break;
            const auto* info = reinterpret_cast<const xcb_randr_monitor_info_t*>(at);
            at += sizeof(xcb_randr_monitor_info_t) + size_t{info->nOutput} * sizeof(xcb_randr_output_t);
            const auto area = intersection({info->x, info->y, info->width, info->height}, screen);
            if (!area) continue;
            monitors.push_back({*area, info->primary != 0, {}});
            names.push_back(xcb_get_atom_name(connection_, info->name));
        }
        for (size_t i = 0; i < names.size(); ++i) monitors[i].name = atom_name(connection_, names[i]);
    }
    if (monitors.empty()) monitors.push_back({screen, true, "screen"});
    return monitors;
}

}  // namespace tether::x11
