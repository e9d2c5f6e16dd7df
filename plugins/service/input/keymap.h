// Which key, with which modifiers, types a keysym on the X server's current
// keyboard layout; and keysyms the layout lacks, bound for a while to spare
// keycodes (ones no key uses), least recently used first given to the next.
#pragma once

#include "x11_connection.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
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
    // The keysym the key types with Shift and AltGr as given and the locks
    // (Caps, Num) of `locks`, a modifier mask, as they are.
    uint32_t typed(uint8_t keycode, bool shift, bool level3, uint16_t locks) const;
    // The first key giving `keysym` that sets one of Mod1..Mod5, and that modifier's index.
    std::optional<std::pair<uint8_t, unsigned>> modifier_of(uint32_t keysym) const;
    bool is_modifier(uint8_t keycode) const;
    std::optional<uint8_t> bind_spare(uint32_t keysym, const KeyboardState& state);
    std::vector<uint8_t> held(unsigned modifier, const KeyboardState& state) const;

    X11Connection& x_;
    KeyboardMapping keys_;
    ModifierMapping modifiers_;
    std::optional<std::pair<uint8_t, unsigned>> level3_;  // ISO_Level3_Shift (AltGr): its key and modifier
    std::optional<unsigned> num_lock_;                     // the modifier Num Lock sets
    std::vector<Spare> spares_;
    uint64_t strokes_ = 0;
};

}  // namespace tether::input
