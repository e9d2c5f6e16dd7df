// Which key, with which modifiers, types a keysym on the X server's current
// keyboard layout; and keysyms the layout lacks, bound for a while to spare
// keycodes (ones no key uses), least recently used first given to the next.
#pragma once

#include "x11_connection.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace tether::input {

// A key to press, and the modifier keys to change around it so that it types the keysym.
struct Stroke {
    uint8_t keycode = 0;
    std::vector<uint8_t> press;    // pressed before the key, released after it
    std::vector<uint8_t> release;  // held now: let go before the key, pressed again after it
};

class Keymap {
public:
    explicit Keymap(X11Connection& x);
    ~Keymap();  // spare keycodes go back to typing nothing
    Keymap(const Keymap&) = delete;
    Keymap& operator=(const Keymap&) = delete;

    // Reads the mappings again (after a MappingNotify): bindings of ours that
    // someone else replaced are forgotten.
    void refresh();
    // How to type `keysym` with the keyboard as it is: the fewest modifier
    // changes on a key of the layout, else a spare keycode bound to it. Nullopt
    // when neither exists (0, or every spare keycode held down).
    std::optional<Stroke> stroke(uint32_t keysym, const KeyboardState& state);

private:
    struct Spare {
        uint8_t keycode;
        uint32_t keysym;  // bound to it, 0: none
        uint64_t used;    // when it last typed, in strokes; 0: never
    };

    size_t row(uint8_t keycode) const;  // where the keycode's keysyms start in keys_
    uint32_t at(uint8_t keycode, unsigned column) const;
    uint32_t typed(uint8_t keycode, bool shift, bool level3, bool lock) const;
    bool is_modifier(uint8_t keycode) const;
    std::optional<uint8_t> bind_spare(uint32_t keysym, const KeyboardState& state);
    std::vector<uint8_t> held(unsigned modifier, const KeyboardState& state) const;

    X11Connection& x_;
    KeyboardMapping keys_;
    ModifierMapping modifiers_;
    uint8_t level3_key_ = 0;       // a key giving ISO_Level3_Shift (AltGr); 0: none
    unsigned level3_modifier_ = 0;  // the modifier (index) it sets; 0 (Shift) when there is no such key
    std::vector<Spare> spares_;
    uint64_t strokes_ = 0;
};

}  // namespace tether::input
