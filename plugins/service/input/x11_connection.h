// One XCB connection to the X server that takes the input: XTEST to fake
// pointer and key events, and the core keyboard requests the keymap needs.
#pragma once

#include <xcb/xcb.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tether::input {

// The core keyboard mapping: `per_keycode` keysyms for each keycode from `min_keycode` on.
struct KeyboardMapping {
    uint8_t min_keycode = 0;
    uint8_t max_keycode = 0;
    uint8_t per_keycode = 0;
    std::vector<uint32_t> keysyms;
};

// The keycodes of each of the 8 modifiers (Shift, Lock, Control, Mod1..Mod5), 0 for none.
struct ModifierMapping {
    std::array<std::vector<uint8_t>, 8> keycodes;
};

// What the keyboard is doing now, across every device and client.
struct KeyboardState {
    uint16_t modifiers = 0;         // XCB_MOD_MASK_* in effect
    uint8_t buttons = 0;            // a bit per pointer button held, button 1 first
    std::array<uint8_t, 32> down{};  // a bit per keycode held
    bool is_down(uint8_t keycode) const { return (down[keycode / 8] >> (keycode % 8) & 1) != 0; }
};

class X11Connection {
public:
    // `display`: ":1", or empty for $DISPLAY. Throws std::runtime_error saying
    // why when it cannot be opened or lacks XTEST.
    explicit X11Connection(const std::string& display);
    ~X11Connection();
    X11Connection(const X11Connection&) = delete;
    X11Connection& operator=(const X11Connection&) = delete;

    // True once the connection has failed: every request after it is lost.
    bool broken() const;
    const std::string& name() const { return name_; }  // the display, for messages

    // Reads what the server sent: the screen's size follows the root window.
    // True when the keyboard or modifier mapping changed since the last call.
    bool mapping_changed();

    void move(int32_t x, int32_t y);  // clamped to the screen
    void button(uint8_t button, bool down);
    void key(uint8_t keycode, bool down);
    void flush();

    KeyboardState keyboard_state();
    KeyboardMapping keyboard_mapping();
    ModifierMapping modifier_mapping();
    // Makes `keycode` type `keysym` at every level (0: nothing).
    void bind(uint8_t keycode, uint32_t keysym);

private:
    void fake(uint8_t type, uint8_t detail, int16_t x = 0, int16_t y = 0);

    std::string name_;
    xcb_connection_t* connection_ = nullptr;
    xcb_window_t root_ = 0;
    uint16_t width_ = 0;
    uint16_t height_ = 0;
};

}  // namespace tether::input
