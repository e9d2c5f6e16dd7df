#include "x11_connection.h"

#include <xcb/xtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace tether::input {
namespace {

template <typename Reply>
std::unique_ptr<Reply, decltype(&std::free)> owned(Reply* reply) {
    return {reply, &std::free};
}

std::string display_name(const std::string& display) {
    if (!display.empty()) return display;
    const char* env = std::getenv("DISPLAY");
    return env != nullptr ? env : "";
}

}  // namespace

X11Connection::X11Connection(const std::string& display) : name_(display_name(display)) {
    if (name_.empty()) throw std::runtime_error("no X display: [plugins.x11-input] display is unset and $DISPLAY is empty");
    int screen_number = 0;
    connection_ = xcb_connect(name_.c_str(), &screen_number);
    if (xcb_connection_has_error(connection_) != 0) {
        xcb_disconnect(connection_);
        throw std::runtime_error("cannot open X display " + name_);
    }
    const xcb_query_extension_reply_t* xtest = xcb_get_extension_data(connection_, &xcb_test_id);
    if (xtest == nullptr || xtest->present == 0) {
        xcb_disconnect(connection_);
        throw std::runtime_error("the X server at " + name_ + " has no XTEST extension, which input needs");
    }
    xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection_));
    for (int i = 0; i < screen_number && screens.rem > 0; ++i) xcb_screen_next(&screens);
    if (screens.rem == 0) {
        xcb_disconnect(connection_);
        throw std::runtime_error("the X display " + name_ + " has no screen " + std::to_string(screen_number));
    }
    root_ = screens.data->root;
    width_ = screens.data->width_in_pixels;
    height_ = screens.data->height_in_pixels;
    // The root's ConfigureNotify tells when the screen is resized (RandR), so clamping follows.
    const uint32_t mask = XCB_EVENT_MASK_STRUCTURE_NOTIFY;
    xcb_change_window_attributes(connection_, root_, XCB_CW_EVENT_MASK, &mask);
    xcb_flush(connection_);
}

X11Connection::~X11Connection() {
    // A round trip first: the server may drop requests it has not read yet
    // when it sees the connection close, and the last ones let go of keys.
    if (!broken()) std::free(xcb_get_input_focus_reply(connection_, xcb_get_input_focus(connection_), nullptr));
    xcb_disconnect(connection_);
}

bool X11Connection::broken() const { return xcb_connection_has_error(connection_) != 0; }

bool X11Connection::mapping_changed() {
    bool changed = false;
    while (auto event = owned(xcb_poll_for_event(connection_))) {
        switch (event->response_type & 0x7f) {
        case XCB_MAPPING_NOTIFY: {
            const auto* notify = reinterpret_cast<const xcb_mapping_notify_event_t*>(event.get());
            changed |= notify->request == XCB_MAPPING_KEYBOARD || notify->request == XCB_MAPPING_MODIFIER;
            break;
        }
        case XCB_CONFIGURE_NOTIFY: {
            const auto* configure = reinterpret_cast<const xcb_configure_notify_event_t*>(event.get());
            if (configure->window == root_) {
                width_ = configure->width;
                height_ = configure->height;
            }
            break;
        }
        default: break;  // errors of unchecked requests: a key or button the server refused is simply not typed
        }
    }
    return changed;
}

void X11Connection::fake(uint8_t type, uint8_t detail, int16_t x, int16_t y) {
    xcb_test_fake_input(connection_, type, detail, XCB_CURRENT_TIME, root_, x, y, 0);
}

void X11Connection::move(int32_t x, int32_t y) {
    const auto clamp = [](int32_t v, uint16_t size) {
        return static_cast<int16_t>(std::clamp<int32_t>(v, 0, std::max<int32_t>(size, 1) - 1));
    };
    fake(XCB_MOTION_NOTIFY, 0, clamp(x, width_), clamp(y, height_));
}

void X11Connection::button(uint8_t button, bool down) { fake(down ? XCB_BUTTON_PRESS : XCB_BUTTON_RELEASE, button); }

void X11Connection::key(uint8_t keycode, bool down) { fake(down ? XCB_KEY_PRESS : XCB_KEY_RELEASE, keycode); }

void X11Connection::flush() { xcb_flush(connection_); }

KeyboardState X11Connection::keyboard_state() {
    // Both asked before either answer is awaited: one round trip.
    const auto pointer_cookie = xcb_query_pointer(connection_, root_);
    const auto keymap_cookie = xcb_query_keymap(connection_);
    const auto pointer = owned(xcb_query_pointer_reply(connection_, pointer_cookie, nullptr));
    const auto keymap = owned(xcb_query_keymap_reply(connection_, keymap_cookie, nullptr));
    KeyboardState state;
    if (pointer) {
        state.modifiers = pointer->mask & 0xff;
        state.buttons = static_cast<uint8_t>(pointer->mask >> 8 & 0x1f);
    }
    if (keymap) std::copy(std::begin(keymap->keys), std::end(keymap->keys), state.down.begin());
    return state;
}

KeyboardMapping X11Connection::keyboard_mapping() {
    const xcb_setup_t* setup = xcb_get_setup(connection_);
    KeyboardMapping mapping;
    mapping.min_keycode = setup->min_keycode;
    mapping.max_keycode = setup->max_keycode;
    if (setup->max_keycode < setup->min_keycode) return mapping;
    const auto count = static_cast<uint8_t>(setup->max_keycode - setup->min_keycode + 1);
    const auto reply = owned(xcb_get_keyboard_mapping_reply(
        connection_, xcb_get_keyboard_mapping(connection_, setup->min_keycode, count), nullptr));
    if (!reply) return mapping;
    const xcb_keysym_t* keysyms = xcb_get_keyboard_mapping_keysyms(reply.get());
    const int length = xcb_get_keyboard_mapping_keysyms_length(reply.get());
    // Only whole rows the reply holds: a short answer leaves the keycodes past it empty.
    mapping.per_keycode = reply->keysyms_per_keycode;
    mapping.keysyms.assign(keysyms, keysyms + length);
    mapping.keysyms.resize(size_t{count} * mapping.per_keycode, 0);
    return mapping;
}

ModifierMapping X11Connection::modifier_mapping() {
    ModifierMapping mapping;
    const auto reply = owned(xcb_get_modifier_mapping_reply(connection_, xcb_get_modifier_mapping(connection_), nullptr));
    if (!reply) return mapping;
    const xcb_keycode_t* keycodes = xcb_get_modifier_mapping_keycodes(reply.get());
    const size_t per = reply->keycodes_per_modifier;
    if (static_cast<size_t>(xcb_get_modifier_mapping_keycodes_length(reply.get())) < per * 8) return mapping;
    for (size_t modifier = 0; modifier < 8; ++modifier)
        for (size_t i = 0; i < per; ++i)
            if (const uint8_t keycode = keycodes[modifier * per + i]; keycode != 0)
                mapping.keycodes[modifier].push_back(keycode);
    return mapping;
}

void X11Connection::bind(uint8_t keycode, uint32_t keysym) {
    // Both levels alike: the key types the keysym whether Shift is held or not.
    const xcb_keysym_t keysyms[2] = {keysym, keysym};
    xcb_change_keyboard_mapping(connection_, 1, keycode, 2, keysyms);
}

}  // namespace tether::input
