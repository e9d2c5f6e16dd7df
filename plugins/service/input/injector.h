// Input events turned into XTEST events, with what each session holds down
// kept, so that the keys and buttons of a session that ends are let go.
#pragma once

#include "keymap.h"
#include "x11_connection.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tether::input {

class Injector {
public:
    // Throws std::runtime_error saying why the display cannot take input.
    explicit Injector(const std::string& display);
    ~Injector();  // lets go of everything every session holds
    Injector(const Injector&) = delete;
    Injector& operator=(const Injector&) = delete;

    bool broken() const { return x_.broken(); }
    const std::string& display() const { return x_.name(); }

    // The pointer to (x, y) with `buttons` (TETHER_BUTTON_*) held afterwards,
    // then the wheel turned that many notches.
    void pointer(uint64_t session, int32_t x, int32_t y, uint32_t buttons, int32_t wheel_x, int32_t wheel_y);
    // False when `keysym` cannot be typed: no key for it and no spare keycode
    // free, or the session already holds 64 keys.
    bool key(uint64_t session, uint32_t keysym, bool down);
    // Lets go of what `session` holds and forgets it.
    void end(uint64_t session);

private:
    struct Held {
        uint32_t buttons = 0;                             // TETHER_BUTTON_*
        std::vector<std::pair<uint32_t, uint8_t>> keys;  // keysym, the keycode that typed it; in press order
    };

    void follow_mapping();
    void wheel(int32_t notches, uint8_t forward, uint8_t backward);

    X11Connection x_;
    Keymap keymap_;  // after x_: gives its spare keycodes back before the connection closes
    std::map<uint64_t, Held> sessions_;
};

}  // namespace tether::input
