#include "window/input_forwarder.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tether::window {
namespace {

class InputForwarderTest : public testing::Test {
protected:
    SDL_Event key(Uint32 type, SDL_Keycode code) {
        SDL_Event e{};
        e.type = type;
        e.key.keysym.sym = code;
        return e;
    }
    SDL_Event text(const char* utf8) {
        SDL_Event e{};
        e.type = SDL_TEXTINPUT;
        std::strncpy(e.text.text, utf8, sizeof e.text.text - 1);
        return e;
    }
    SDL_Event button(Uint32 type, Uint8 which, int x, int y) {
        SDL_Event e{};
        e.type = type;
        e.button.button = which;
        e.button.x = x;
        e.button.y = y;
        return e;
    }
    std::vector<std::pair<uint32_t, bool>> keys() const {
        std::vector<std::pair<uint32_t, bool>> out;
        for (const auto& e : sent_)
            if (e.has_key()) out.emplace_back(e.key().keysym(), e.key().down());
        return out;
    }

    std::vector<proto::InputEvent> sent_;
    InputForwarder forwarder_{[this](const proto::InputEvent& e) { sent_.push_back(e); }};
    const Letterbox box_{1920, 1080, 1000, 540};  // bars of 20 left and right
};

TEST_F(InputForwarderTest, TextGoesAsTheCharactersItTyped) {
    forwarder_.on_event(text("a€"), box_);
    EXPECT_EQ(keys(), (std::vector<std::pair<uint32_t, bool>>{{0x61, true}, {0x61, false}, {0x010020ac, true},
                                                              {0x010020ac, false}}));
}

TEST_F(InputForwarderTest, ControlWithALetterSendsThePlainLetterAndNoText) {
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_LCTRL), box_);
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_c), box_);
    forwarder_.on_event(text("c"), box_);  // where the system types it anyway
    forwarder_.on_event(key(SDL_KEYUP, SDLK_c), box_);
    forwarder_.on_event(key(SDL_KEYUP, SDLK_LCTRL), box_);
    EXPECT_EQ(keys(), (std::vector<std::pair<uint32_t, bool>>{{0xffe3, true}, {'c', true}, {'c', false}, {0xffe3, false}}));
}

TEST_F(InputForwarderTest, AltGrIsNotSentButWhatItTypedIs) {
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_RALT), box_);
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_q), box_);
    forwarder_.on_event(text("@"), box_);
    forwarder_.on_event(key(SDL_KEYUP, SDLK_q), box_);
    forwarder_.on_event(key(SDL_KEYUP, SDLK_RALT), box_);
    EXPECT_EQ(keys(), (std::vector<std::pair<uint32_t, bool>>{{'@', true}, {'@', false}}));
}

TEST_F(InputForwarderTest, ButtonsAreBitsAtTheHostsPixels) {
    forwarder_.on_event(button(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_RIGHT, 500, 270), box_);
    forwarder_.on_event(button(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_X1, 5, 270), box_);  // over the left bar
    ASSERT_EQ(sent_.size(), 2u);
    EXPECT_EQ(sent_[0].pointer().x(), 960);
    EXPECT_EQ(sent_[0].pointer().y(), 540);
    EXPECT_EQ(sent_[0].pointer().buttons(), 0b100u);
    EXPECT_EQ(sent_[1].pointer().x(), 0);
    EXPECT_EQ(sent_[1].pointer().buttons(), 0b1100u);
}

TEST_F(InputForwarderTest, TheWheelCountsDownAndRightPositive) {
    forwarder_.on_event(button(SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, 500, 270), box_);
    SDL_Event wheel{};
    wheel.type = SDL_MOUSEWHEEL;
    wheel.wheel.y = -2;  // SDL: towards the user
    wheel.wheel.x = 1;
    wheel.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    forwarder_.on_event(wheel, box_);
    ASSERT_EQ(sent_.size(), 2u);
    EXPECT_EQ(sent_[1].pointer().scroll(), 2);
    EXPECT_EQ(sent_[1].pointer().scroll_x(), 1);
    EXPECT_EQ(sent_[1].pointer().x(), 960);
}

TEST_F(InputForwarderTest, LosingTheFocusReleasesWhatWasHeld) {
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_LSHIFT), box_);
    forwarder_.on_event(key(SDL_KEYDOWN, SDLK_LEFT), box_);
    forwarder_.on_event(button(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, 500, 270), box_);
    sent_.clear();
    forwarder_.release_all();
    EXPECT_EQ(keys(), (std::vector<std::pair<uint32_t, bool>>{{0xff51, false}, {0xffe1, false}}));
    ASSERT_TRUE(sent_.back().has_pointer());
    EXPECT_EQ(sent_.back().pointer().buttons(), 0u);
    sent_.clear();
    forwarder_.release_all();  // nothing is held any more
    EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace tether::window
