// The viewer's keys as X11 keysyms, the way the host's input service takes
// them. Text goes as the characters it produced (so the viewer's layout, its
// AltGr and dead keys decide what arrives); keys that type nothing go by name.
#pragma once

#include <SDL2/SDL_keyboard.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tether::window {

// A Unicode code point as a keysym: Latin-1 as itself, others as 0x01000000 + code point.
uint32_t keysym_of_code_point(char32_t code_point);

// The code points of UTF-8 text; a malformed sequence is skipped.
std::vector<char32_t> code_points(std::string_view utf8);

// A key that types no text (Return, arrows, F1, Shift, the keypad's Enter,
// and its digits while Num Lock is off), or nullopt for the rest.
std::optional<uint32_t> keysym_of_key(SDL_Keycode key, Uint16 modifiers);

// With Control or (left) Alt held, a key that would type a character sends
// that character's plain keysym ('c' for Ctrl+C); nullopt for other keys.
std::optional<uint32_t> keysym_of_shortcut_key(SDL_Keycode key);

// Right Alt is AltGr on many layouts: it chooses characters here and is not
// sent, so that the character it made arrives alone.
bool is_altgr(SDL_Keycode key);
bool is_control_or_alt(SDL_Keycode key);  // left or right Control, left Alt

}  // namespace tether::window
