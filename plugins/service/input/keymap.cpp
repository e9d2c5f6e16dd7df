#include "keymap.h"

#include <algorithm>

namespace tether::input {
namespace {

constexpr uint32_t kIsoLevel3Shift = 0xfe03;
constexpr uint32_t kNumLock = 0xff7f;
constexpr unsigned kShift = 0;  // modifier indices, as in the modifier mapping
constexpr unsigned kLock = 1;
// The core map's columns (XKB fills them so): 0/1 the first group's levels 1
// and 2 (no modifier, Shift), 4/5 its levels 3 and 4 (AltGr, AltGr+Shift).
constexpr unsigned kLevel3Column = 4;

bool has(uint16_t modifiers, unsigned modifier) { return (modifiers >> modifier & 1) != 0; }

// True when Caps Lock turns `lower` into `upper`: the letters of Latin-1 and
// Cyrillic, the keys Lock most often meets. Other keys ignore Lock here.
bool case_pair(uint32_t lower, uint32_t upper) {
    const bool latin = (lower >= 'a' && lower <= 'z') || (lower >= 0xe0 && lower <= 0xfe && lower != 0xf7);
    const bool cyrillic = lower >= 0x6c0 && lower <= 0x6df;
    return (latin || cyrillic) && upper + 0x20 == lower;
}

// A keypad key (KP_End, KP_1): XKB gives its second level for Num Lock
// without Shift, never for Shift alone.
bool keypad(uint32_t keysym) { return keysym >= 0xff80 && keysym <= 0xffbd; }

}  // namespace

Keymap::Keymap(X11Connection& x) : x_(x) { refresh(); }

Keymap::~Keymap() {
    if (x_.broken()) return;
    for (const Spare& spare : spares_)
        if (spare.keysym != 0) x_.bind(spare.keycode, 0);
}

size_t Keymap::row(uint8_t keycode) const {
    return static_cast<size_t>(keycode - keys_.min_keycode) * keys_.per_keycode;
}

uint32_t Keymap::at(uint8_t keycode, unsigned column) const {
    if (keycode < keys_.min_keycode || column >= keys_.per_keycode) return 0;
    const size_t index = row(keycode) + column;
    return index < keys_.keysyms.size() ? keys_.keysyms[index] : 0;
}

uint32_t Keymap::typed(uint8_t keycode, bool shift, bool level3, uint16_t locks) const {
    // A key without a third level ignores AltGr, as XKB's two-level key types do.
    const unsigned base = level3 && (at(keycode, kLevel3Column) != 0 || at(keycode, kLevel3Column + 1) != 0)
                              ? kLevel3Column
                              : 0;
    const uint32_t lower = at(keycode, base);
    const uint32_t upper = at(keycode, base + 1);
    if (keypad(upper)) return num_lock_ && has(locks, *num_lock_) && !shift ? upper : lower;
    if (has(locks, kLock) && case_pair(lower, upper)) shift = !shift;
    return shift && upper != 0 ? upper : lower;
}

std::optional<std::pair<uint8_t, unsigned>> Keymap::modifier_of(uint32_t keysym) const {
    for (unsigned modifier = 3; modifier < 8; ++modifier)  // Mod1 to Mod5
        for (const uint8_t keycode : modifiers_.keycodes[modifier])
            if (at(keycode, 0) == keysym) return std::pair(keycode, modifier);
    return std::nullopt;
}

bool Keymap::is_modifier(uint8_t keycode) const {
    return std::ranges::any_of(modifiers_.keycodes, [&](const auto& row) { return std::ranges::find(row, keycode) != row.end(); });
}

std::vector<uint8_t> Keymap::held(unsigned modifier, const KeyboardState& state) const {
    std::vector<uint8_t> down;
    for (const uint8_t keycode : modifiers_.keycodes[modifier])
        if (state.is_down(keycode)) down.push_back(keycode);
    return down;
}

void Keymap::refresh() {
    const std::vector<Spare> previous = std::move(spares_);
    spares_.clear();
    keys_ = x_.keyboard_mapping();
    modifiers_ = x_.modifier_mapping();

    level3_ = modifier_of(kIsoLevel3Shift);
    const auto num_lock = modifier_of(kNumLock);
    num_lock_ = num_lock ? std::optional(num_lock->second) : std::nullopt;

    // Spare: no keysym at all, or still only the one we bound.
    for (unsigned keycode = keys_.min_keycode; keycode <= keys_.max_keycode && keys_.per_keycode > 0; ++keycode) {
        const auto code = static_cast<uint8_t>(keycode);
        if (is_modifier(code)) continue;
        uint32_t only = 0;
        bool single = true;
        for (unsigned column = 0; column < keys_.per_keycode; ++column)
            if (const uint32_t keysym = at(code, column); keysym != 0) {
                single = single && (only == 0 || only == keysym);
                only = keysym;
            }
        const auto before = std::ranges::find(previous, code, &Spare::keycode);
        const uint64_t used = before != previous.end() ? before->used : 0;
        if (only == 0)
            spares_.push_back({code, 0, used});
        else if (single && before != previous.end() && before->keysym == only)
            spares_.push_back(*before);
    }
}

std::optional<uint8_t> Keymap::bind_spare(uint32_t keysym, const KeyboardState& state) {
    // A spare held down is typing its keysym now: never taken from under it.
    Spare* pick = nullptr;
    for (Spare& spare : spares_)
        if (!state.is_down(spare.keycode) && (pick == nullptr || spare.used < pick->used)) pick = &spare;
    if (pick == nullptr) return std::nullopt;
    x_.bind(pick->keycode, keysym);
    pick->keysym = keysym;
    for (unsigned column = 0; column < keys_.per_keycode; ++column)
        keys_.keysyms[row(pick->keycode) + column] = column < 2 ? keysym : 0;
    return pick->keycode;
}

std::optional<Stroke> Keymap::stroke(uint32_t keysym, const KeyboardState& state) {
    // X defines the Unicode keysyms of Latin-1 characters as their Latin-1 keysyms, which layouts use.
    if ((keysym >= 0x1000020 && keysym <= 0x100007e) || (keysym >= 0x10000a0 && keysym <= 0x10000ff)) keysym -= 0x1000000;
    if (keysym == 0 || keysym > 0x1fffffff) return std::nullopt;  // NoSymbol, or more than a keysym's 29 bits
    const bool shift_on = has(state.modifiers, kShift);
    const bool level3_on = level3_ && has(state.modifiers, level3_->second);

    struct Choice {
        uint8_t keycode;
        bool shift;
        bool level3;
        int changes;
    };
    std::optional<Choice> best;
    for (unsigned keycode = keys_.min_keycode; keycode <= keys_.max_keycode && keys_.per_keycode > 0; ++keycode) {
        const auto code = static_cast<uint8_t>(keycode);
        // A modifier is pressed as it is: Shift must not be let go to press Shift.
        if (is_modifier(code)) {
            if ((at(code, 0) == keysym || at(code, 1) == keysym) && (!best || best->changes > 0))
                best = Choice{code, shift_on, level3_on, 0};
            continue;
        }
        for (const bool shift : {shift_on, !shift_on})
            for (const bool level3 : {level3_on, !level3_on}) {
                if ((level3 && !level3_on && !level3_) || (shift && !shift_on && modifiers_.keycodes[kShift].empty()))
                    continue;  // no key to press for it
                const int changes = (shift != shift_on) + (level3 != level3_on);
                if ((!best || changes < best->changes) && typed(code, shift, level3, state.modifiers) == keysym)
                    best = Choice{code, shift, level3, changes};
            }
    }
    if (!best) {
        // Bound at both levels, it types the keysym whatever Shift does.
        const auto spare = bind_spare(keysym, state);
        if (!spare) return std::nullopt;
        best = Choice{*spare, shift_on, level3_on, 0};
    }
    if (const auto spare = std::ranges::find(spares_, best->keycode, &Spare::keycode); spare != spares_.end())
        spare->used = ++strokes_;

    Stroke stroke{best->keycode, {}, {}};
    const auto change = [&](bool wanted, bool on, uint8_t key, unsigned modifier) {
        if (wanted == on) return;
        if (wanted) {
            stroke.press.push_back(key);
        } else {
            const auto down = held(modifier, state);
            stroke.release.insert(stroke.release.end(), down.begin(), down.end());
        }
    };
    change(best->shift, shift_on, modifiers_.keycodes[kShift].empty() ? 0 : modifiers_.keycodes[kShift].front(), kShift);
    if (level3_) change(best->level3, level3_on, level3_->first, level3_->second);
    return stroke;
}

}  // namespace tether::input
