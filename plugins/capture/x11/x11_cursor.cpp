#include "x11_cursor.h"

#include "damage_region.h"
#include "xcb_helpers.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tether::x11 {
namespace {

// Cursors are 16 to 256 pixels a side; a larger one from the server is refused, not allocated.
constexpr uint32_t max_cursor_side = 1024;

// The server's premultiplied ARGB (one 32-bit value a pixel) as the B, G, R, A
// bytes of straight alpha that tether_cursor carries.
void straighten(const uint32_t* argb, size_t pixels, uint8_t* bgra) {
    for (size_t i = 0; i < pixels; ++i) {
        const uint32_t p = argb[i];
        const uint32_t a = p >> 24;
        for (int c = 0; c < 3; ++c) {
            const uint32_t premultiplied = (p >> (8 * c)) & 0xff;
            bgra[i * 4 + c] = static_cast<uint8_t>(a == 0 ? 0 : std::min<uint32_t>(255, (premultiplied * 255 + a / 2) / a));
        }
        bgra[i * 4 + 3] = static_cast<uint8_t>(a);
    }
}

}  // namespace

X11Cursor::X11Cursor(const tether_host_api* host, xcb_connection_t* connection, xcb_window_t root, bool has_xfixes)
    : host_(host), connection_(connection), root_(root), has_xfixes_(has_xfixes) {
    if (!has_xfixes_) return;
    first_event_ = xcb_get_extension_data(connection, &xcb_xfixes_id)->first_event;
    xcb_xfixes_select_cursor_input(connection, root, XCB_XFIXES_CURSOR_NOTIFY_MASK_DISPLAY_CURSOR);
}

bool X11Cursor::handle(const xcb_generic_event_t& event) {
    if (!has_xfixes_ || (event.response_type & 0x7f) != first_event_ + XCB_XFIXES_CURSOR_NOTIFY) return false;
    shape_changed_ = true;
    return true;
}

int X11Cursor::report(tether_cursor& cursor, const tether_rect& area) {
    if (cursor.struct_size < TETHER_SIZE_THROUGH(tether_cursor, hot_y))
        throw std::runtime_error("a tether_cursor of " + std::to_string(cursor.struct_size) + " bytes is too small");
    const bool fetch = shape_changed_ && has_xfixes_;
    // Both requests go out before either reply is awaited: one round trip.
    const xcb_xfixes_get_cursor_image_cookie_t shape = fetch ? xcb_xfixes_get_cursor_image(connection_)
                                                             : xcb_xfixes_get_cursor_image_cookie_t{};
    const auto pointer =
        answer(connection_, xcb_query_pointer_reply, xcb_query_pointer(connection_, root_), "the pointer's position");
    tether_cursor now = last_;
    now.image = nullptr;
    if (fetch) shape_changed_ = !fetch_shape(now, shape);
    // On another screen the position means nothing: it keeps the last one, hidden.
    if (pointer->same_screen != 0) {
        now.x = pointer->root_x - area.x;
        now.y = pointer->root_y - area.y;
    }
    now.visible = pointer->same_screen != 0 && now.width > 0 &&
                  contains(area, tether_rect{pointer->root_x, pointer->root_y, 1, 1});
    const bool changed = !reported_ || now.image != nullptr || now.x != last_.x || now.y != last_.y ||
                         now.visible != last_.visible;
    reported_ = true;
    last_ = now;
    last_.image = nullptr;
    if (!changed) return TETHER_AGAIN;
    const uint32_t struct_size = cursor.struct_size;
    cursor = now;
    cursor.struct_size = struct_size;
    return TETHER_OK;
}

bool X11Cursor::fetch_shape(tether_cursor& cursor, xcb_xfixes_get_cursor_image_cookie_t request) {
    xcb_generic_error_t* error = nullptr;
    const auto image = owned(xcb_xfixes_get_cursor_image_reply(connection_, request, &error));
    if (!image) {
        // A server may refuse it: Xvfb answers BadAccess for a cursor whose
        // client has gone (xsetroot -cursor_name). No shape for now, asked
        // for again on the next report.
        const bool refused = error != nullptr;
        std::free(error);
        if (!refused) throw std::runtime_error("the cursor's image: the X display went away");
        cursor.width = cursor.height = 0;
        return false;
    }
    if (image->width > max_cursor_side || image->height > max_cursor_side)
        throw std::runtime_error("a cursor of " + std::to_string(image->width) + "x" + std::to_string(image->height) +
                                 " is larger than 1024x1024");
    const size_t pixels = size_t{image->width} * image->height;
    const uint32_t* argb = xcb_xfixes_get_cursor_image_cursor_image(image.get());
    if (reinterpret_cast<const uint8_t*>(argb + pixels) > reply_end(image.get()))
        throw std::runtime_error("the X server sent a cursor image shorter than its size");
    cursor.shape_serial = image->cursor_serial;
    cursor.width = image->width;
    cursor.height = image->height;
    cursor.hot_x = image->xhot;
    cursor.hot_y = image->yhot;
    if (pixels == 0) return true;  // no shape: a hidden cursor
    tether_buffer* buffer = host_->buffer_alloc(pixels * 4);
    if (buffer == nullptr) throw std::runtime_error("out of memory for a cursor image");
    straighten(argb, pixels, buffer->data);
    cursor.image = buffer;
    return true;
}

}  // namespace tether::x11
