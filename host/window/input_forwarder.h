// The window's mouse and keyboard as the host's InputEvents: the pointer in
// the host's pixels through the letterbox, buttons as bits, the wheel in
// notches, keys as X11 keysyms (keysyms.h). It remembers what it pressed, so
// that losing the focus releases everything on the host.
#pragma once

#include "letterbox.h"
#include "session.pb.h"

#include <SDL2/SDL_events.h>

#include <functional>
#include <utility>
#include <vector>

namespace tether::window {

class InputForwarder {
public:
    using Send = std::function<void(const proto::InputEvent&)>;
    explicit InputForwarder(Send send) : send_(std::move(send)) {}

    // Sends what a mouse, wheel, key or text event means on the host; others are ignored.
    void on_event(const SDL_Event& event, const Letterbox& box);
    // Up for every key and button it sent down.
    void release_all();

private:
    void on_key_down(const SDL_KeyboardEvent& key);
    void on_key_up(const SDL_KeyboardEvent& key);
    void on_text(const char* utf8);
    void send_pointer(int scroll = 0, int scroll_x = 0);
    void send_key(uint32_t keysym, bool down);
    bool control_or_alt_held() const;

    Send send_;
    uint32_t buttons_ = 0;
    Point at_;  // the pointer, in the host's pixels
    bool pointer_known_ = false;
    std::vector<std::pair<SDL_Keycode, uint32_t>> held_;  // each key sent down, and the keysym it went as
};

}  // namespace tether::window
