#include "password_field.h"

#include "keysyms.h"
#include "session/protocol.h"

namespace tether::window {

bool PasswordField::on_event(const SDL_Event& e) {
    if (e.type == SDL_TEXTINPUT) {
        const std::string typed = e.text.text;
        // The host refuses longer ones anyway.
        if (text_.size() + typed.size() <= session::kMaxPassword) text_ += typed;
        return false;
    }
    if (e.type != SDL_KEYDOWN) return false;
    switch (e.key.keysym.sym) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return true;
    case SDLK_BACKSPACE:
        // Drop the last character, with every continuation byte of its UTF-8.
        while (!text_.empty() && (static_cast<unsigned char>(text_.back()) & 0xc0) == 0x80) text_.pop_back();
        if (!text_.empty()) text_.pop_back();
        return false;
    default: return false;
    }
}

std::string PasswordField::masked() const {
    std::string dots;
    for (size_t i = 0; i < code_points(text_).size(); ++i) dots += "\u2022";
    return dots;
}

}  // namespace tether::window
