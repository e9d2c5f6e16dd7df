// The password typed into the window: shown as one dot per character,
// Backspace takes the last character back, Enter submits.
#pragma once

#include <SDL2/SDL_events.h>

#include <string>

namespace tether::window {

class PasswordField {
public:
    // True when Enter submitted the text.
    bool on_event(const SDL_Event& event);
    const std::string& text() const { return text_; }
    std::string masked() const;

private:
    std::string text_;  // UTF-8
};

}  // namespace tether::window
