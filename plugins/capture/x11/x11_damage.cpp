#include "x11_damage.h"

#include "xcb_helpers.h"

#include <xcb/xfixes.h>

#include <stdexcept>

namespace tether::x11 {

X11Damage::X11Damage(xcb_connection_t* connection, xcb_window_t root, bool has_xfixes) : connection_(connection) {
    if (!has_xfixes || !present(connection, &xcb_damage_id)) return;
    // Damage must be told which version the client speaks before its first request.
    if (!owned(xcb_damage_query_version_reply(connection, xcb_damage_query_version(connection, 1, 1), nullptr))) return;
    first_event_ = xcb_get_extension_data(connection, &xcb_damage_id)->first_event;
    region_ = xcb_generate_id(connection);
    xcb_xfixes_create_region(connection, region_, 0, nullptr);
    damage_ = xcb_generate_id(connection);
    xcb_damage_create(connection, damage_, root, XCB_DAMAGE_REPORT_LEVEL_NON_EMPTY);
}

X11Damage::~X11Damage() {
    if (!available()) return;
    xcb_damage_destroy(connection_, damage_);
    xcb_xfixes_destroy_region(connection_, region_);
}

bool X11Damage::handle(const xcb_generic_event_t& event) {
    if (!available() || (event.response_type & 0x7f) != first_event_ + XCB_DAMAGE_NOTIFY) return false;
    pending_ = true;
    return true;
}

std::vector<tether_rect> X11Damage::take() {
    pending_ = false;
    xcb_damage_subtract(connection_, damage_, XCB_NONE, region_);
    const auto fetched = answer(connection_, xcb_xfixes_fetch_region_reply, xcb_xfixes_fetch_region(connection_, region_),
                                "the damaged region");
    // The count comes from the reply's length: no more than what arrived.
    const xcb_rectangle_t* rects = xcb_xfixes_fetch_region_rectangles(fetched.get());
    const int count = xcb_xfixes_fetch_region_rectangles_length(fetched.get());
    std::vector<tether_rect> out;
    out.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) out.push_back({rects[i].x, rects[i].y, rects[i].width, rects[i].height});
    return out;
}

}  // namespace tether::x11
