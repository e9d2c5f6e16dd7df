#include "injector.h"

#include <tether/plugin.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ranges>

namespace tether::input {
namespace {

// TETHER_BUTTON_* and the X button each one is.
constexpr std::array<std::pair<uint32_t, uint8_t>, 5> kButtons{{
    {TETHER_BUTTON_LEFT, 1},
    {TETHER_BUTTON_MIDDLE, 2},
    {TETHER_BUTTON_RIGHT, 3},
    {TETHER_BUTTON_BACK, 8},
    {TETHER_BUTTON_FORWARD, 9},
}};

// A wheel turned further in one event is a hostile or broken viewer: no scroll takes that long.
constexpr int32_t kMaxNotches = 100;
// More keys held at once than any keyboard has: further ones are dropped, so the list stays bounded.
constexpr size_t kMaxHeldKeys = 64;

}  // namespace

Injector::Injector(const std::string& display) : x_(display), keymap_(x_) {
    // A host killed while a session held keys or buttons left them down in the X server:
    // what is down when the service starts is let go (a key someone holds on the host's
    // own keyboard at that moment too).
    const KeyboardState held = x_.keyboard_state();
    for (unsigned keycode = 8; keycode < 256; ++keycode)
        if (held.is_down(static_cast<uint8_t>(keycode))) x_.key(static_cast<uint8_t>(keycode), false);
    for (uint8_t button = 1; button <= 5; ++button)
        if ((held.buttons >> (button - 1) & 1) != 0) x_.button(button, false);
    x_.flush();
}

Injector::~Injector() {
    while (!sessions_.empty()) end(sessions_.begin()->first);
}

void Injector::follow_mapping() {
    if (x_.mapping_changed()) keymap_.refresh();
}

void Injector::pointer(uint64_t session, int32_t x, int32_t y, uint32_t buttons, int32_t wheel_x, int32_t wheel_y) {
    follow_mapping();
    Held& held = sessions_[session];
    x_.move(x, y);
    // The event says what is held after it: only the difference is pressed or let go.
    for (const auto& [bit, button] : kButtons)
        if (((buttons ^ held.buttons) & bit) != 0) x_.button(button, (buttons & bit) != 0);
    held.buttons = buttons;
    wheel(wheel_y, 5, 4);  // down, up
    wheel(wheel_x, 7, 6);  // right, left
    x_.flush();
}

void Injector::wheel(int32_t notches, uint8_t forward, uint8_t backward) {
    const uint8_t button = notches > 0 ? forward : backward;
    const int32_t count = std::abs(std::clamp(notches, -kMaxNotches, kMaxNotches));  // clamped first: no abs(INT32_MIN)
    for (int32_t i = 0; i < count; ++i) {
        x_.button(button, true);
        x_.button(button, false);
    }
}

bool Injector::key(uint64_t session, uint32_t keysym, bool down) {
    follow_mapping();
    Held& held = sessions_[session];
    const auto pressed = std::ranges::find(held.keys, keysym, &std::pair<uint32_t, uint8_t>::first);
    if (pressed != held.keys.end()) {
        // Up, or down again (a repeat): the key that typed it goes up first.
        x_.key(pressed->second, false);
        held.keys.erase(pressed);
    }
    if (!down) {
        x_.flush();
        return true;
    }
    if (held.keys.size() >= kMaxHeldKeys) return false;
    const auto stroke = keymap_.stroke(keysym, x_.keyboard_state());
    if (!stroke) return false;
    for (const uint8_t modifier : stroke->release) x_.key(modifier, false);
    for (const uint8_t modifier : stroke->press) x_.key(modifier, true);
    x_.key(stroke->keycode, true);
    // The modifiers go back as the session had them, the key itself stays down.
    for (const uint8_t modifier : std::views::reverse(stroke->press)) x_.key(modifier, false);
    for (const uint8_t modifier : stroke->release) x_.key(modifier, true);
    held.keys.emplace_back(keysym, stroke->keycode);
    x_.flush();
    return true;
}

void Injector::end(uint64_t session) {
    const auto found = sessions_.find(session);
    if (found == sessions_.end()) return;
    for (const auto& [keysym, keycode] : std::views::reverse(found->second.keys)) x_.key(keycode, false);
    for (const auto& [bit, button] : kButtons)
        if ((found->second.buttons & bit) != 0) x_.button(button, false);
    sessions_.erase(found);
    x_.flush();
}

}  // namespace tether::input
