#include "input_forwarder.h"

#include "keysyms.h"

#include <algorithm>

namespace tether::window {
namespace {

// SDL_BUTTON_LEFT..SDL_BUTTON_X2 (1..5) are left, middle, right, back, forward: bits 0..4.
uint32_t button_bit(Uint8 button) { return button >= 1 && button <= 5 ? 1u << (button - 1) : 0; }

}  // namespace

void InputForwarder::on_event(const SDL_Event& e, const Letterbox& box) {
    switch (e.type) {
    case SDL_MOUSEMOTION:
        if (box.picture().w == 0) return;
        at_ = box.to_host({e.motion.x, e.motion.y});
        pointer_known_ = true;
        return send_pointer();
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (box.picture().w == 0) return;
        at_ = box.to_host({e.button.x, e.button.y});
        pointer_known_ = true;
        if (e.type == SDL_MOUSEBUTTONDOWN)
            buttons_ |= button_bit(e.button.button);
        else
            buttons_ &= ~button_bit(e.button.button);
        return send_pointer();
    case SDL_MOUSEWHEEL: {
        if (!pointer_known_) return;
        // SDL: up and right positive; the protocol: down and right positive.
        const int flip = e.wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -1 : 1;
        if (e.wheel.x != 0 || e.wheel.y != 0) send_pointer(-e.wheel.y * flip, e.wheel.x * flip);
        return;
    }
    case SDL_KEYDOWN: return on_key_down(e.key);
    case SDL_KEYUP: return on_key_up(e.key);
    case SDL_TEXTINPUT: return on_text(e.text.text);
    default: return;
    }
}

void InputForwarder::on_key_down(const SDL_KeyboardEvent& key) {
    const SDL_Keycode code = key.keysym.sym;
    if (is_altgr(code)) return;
    auto keysym = keysym_of_key(code, key.keysym.mod);
    // Ctrl+C: the text input sends nothing, so the key goes as its plain character.
    if (!keysym && control_or_alt_held()) keysym = keysym_of_shortcut_key(code);
    if (!keysym) return;
    if (std::ranges::find(held_, code, &std::pair<SDL_Keycode, uint32_t>::first) == held_.end())
        held_.emplace_back(code, *keysym);
    send_key(*keysym, true);  // a repeat goes down again, as a held key repeats
}

void InputForwarder::on_key_up(const SDL_KeyboardEvent& key) {
    const auto held = std::ranges::find(held_, key.keysym.sym, &std::pair<SDL_Keycode, uint32_t>::first);
    if (held == held_.end()) return;
    const uint32_t keysym = held->second;
    held_.erase(held);
    send_key(keysym, false);
}

void InputForwarder::on_text(const char* utf8) {
    // With Control or Alt held the key itself went (on_key_down).
    if (control_or_alt_held()) return;
    for (const char32_t c : code_points(utf8)) {
        const uint32_t keysym = keysym_of_code_point(c);
        send_key(keysym, true);
        send_key(keysym, false);
    }
}

void InputForwarder::release_all() {
    const auto held = std::exchange(held_, {});
    for (auto it = held.rbegin(); it != held.rend(); ++it) send_key(it->second, false);
    if (buttons_ != 0 && pointer_known_) {
        buttons_ = 0;
        send_pointer();
    }
}

bool InputForwarder::control_or_alt_held() const {
    return std::ranges::any_of(held_, [](const auto& held) { return is_control_or_alt(held.first); });
}

void InputForwarder::send_pointer(int scroll, int scroll_x) {
    proto::InputEvent event;
    auto* p = event.mutable_pointer();
    p->set_x(at_.x);
    p->set_y(at_.y);
    p->set_buttons(buttons_);
    p->set_scroll(scroll);
    p->set_scroll_x(scroll_x);
    send_(event);
}

void InputForwarder::send_key(uint32_t keysym, bool down) {
    proto::InputEvent event;
    event.mutable_key()->set_keysym(keysym);
    event.mutable_key()->set_down(down);
    send_(event);
}

}  // namespace tether::window
