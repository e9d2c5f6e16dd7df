#include "keysyms.h"

#include <array>
#include <utility>

namespace tether::window {
namespace {

// From X11/keysymdef.h.
constexpr std::array<std::pair<SDL_Keycode, uint32_t>, 50> kNamedKeys{{
    {SDLK_RETURN, 0xff0d},    {SDLK_BACKSPACE, 0xff08},  {SDLK_TAB, 0xff09},       {SDLK_ESCAPE, 0xff1b},
    {SDLK_DELETE, 0xffff},    {SDLK_INSERT, 0xff63},     {SDLK_HOME, 0xff50},      {SDLK_END, 0xff57},
    {SDLK_PAGEUP, 0xff55},    {SDLK_PAGEDOWN, 0xff56},   {SDLK_LEFT, 0xff51},      {SDLK_UP, 0xff52},
    {SDLK_RIGHT, 0xff53},     {SDLK_DOWN, 0xff54},       {SDLK_F1, 0xffbe},        {SDLK_F2, 0xffbf},
    {SDLK_F3, 0xffc0},        {SDLK_F4, 0xffc1},         {SDLK_F5, 0xffc2},        {SDLK_F6, 0xffc3},
    {SDLK_F7, 0xffc4},        {SDLK_F8, 0xffc5},         {SDLK_F9, 0xffc6},        {SDLK_F10, 0xffc7},
    {SDLK_F11, 0xffc8},       {SDLK_F12, 0xffc9},        {SDLK_LSHIFT, 0xffe1},    {SDLK_RSHIFT, 0xffe2},
    {SDLK_LCTRL, 0xffe3},     {SDLK_RCTRL, 0xffe4},      {SDLK_LALT, 0xffe9},      {SDLK_LGUI, 0xffeb},
    {SDLK_RGUI, 0xffec},      {SDLK_CAPSLOCK, 0xffe5},   {SDLK_NUMLOCKCLEAR, 0xff7f}, {SDLK_SCROLLLOCK, 0xff14},
    {SDLK_PRINTSCREEN, 0xff61}, {SDLK_PAUSE, 0xff13},    {SDLK_APPLICATION, 0xff67}, {SDLK_KP_ENTER, 0xff8d},
    // The keypad without Num Lock moves; with it, it types digits (sent as text).
    {SDLK_KP_0, 0xff9e},      {SDLK_KP_1, 0xff9c},       {SDLK_KP_2, 0xff99},      {SDLK_KP_3, 0xff9b},
    {SDLK_KP_4, 0xff96},      {SDLK_KP_5, 0xff9d},       {SDLK_KP_6, 0xff98},      {SDLK_KP_7, 0xff95},
    {SDLK_KP_8, 0xff97},      {SDLK_KP_9, 0xff9a},
}};

bool is_keypad_digit(SDL_Keycode key) { return key >= SDLK_KP_1 && key <= SDLK_KP_0; }

}  // namespace

uint32_t keysym_of_code_point(char32_t c) {
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) return static_cast<uint32_t>(c);
    return 0x01000000u + static_cast<uint32_t>(c);
}

std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > s.size()) {
            ++i;
            continue;
        }
        char32_t c = length == 1 ? lead : lead & (0x7f >> length);
        bool valid = true;
        for (size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(s[i + k]);
            valid = valid && (next & 0xc0) == 0x80;
            c = (c << 6) | (next & 0x3f);
        }
        if (valid && c <= 0x10ffff) out.push_back(c);
        i += valid ? length : 1;
    }
    return out;
}

std::optional<uint32_t> keysym_of_key(SDL_Keycode key, Uint16 modifiers) {
    if (is_keypad_digit(key) && (modifiers & KMOD_NUM)) return std::nullopt;
    for (const auto& [named, keysym] : kNamedKeys)
        if (named == key) return keysym;
    return std::nullopt;
}

std::optional<uint32_t> keysym_of_shortcut_key(SDL_Keycode key) {
    // SDL names a character key by the character it types without modifiers.
    if ((key >= 0x20 && key <= 0x7e) || (key >= 0xa0 && key <= 0xff)) return static_cast<uint32_t>(key);
    return std::nullopt;
}

bool is_altgr(SDL_Keycode key) { return key == SDLK_RALT || key == SDLK_MODE; }

bool is_control_or_alt(SDL_Keycode key) { return key == SDLK_LCTRL || key == SDLK_RCTRL || key == SDLK_LALT; }

}  // namespace tether::window
