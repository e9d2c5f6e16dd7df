#include "window/keysyms.h"

#include <gtest/gtest.h>

namespace tether::window {
namespace {

TEST(Keysyms, Latin1IsItselfAndOtherCharactersAreUnicodeKeysyms) {
    EXPECT_EQ(keysym_of_code_point(U'a'), 0x61u);
    EXPECT_EQ(keysym_of_code_point(U'é'), 0xe9u);
    EXPECT_EQ(keysym_of_code_point(U'€'), 0x010020acu);
    EXPECT_EQ(keysym_of_code_point(U'ж'), 0x01000436u);
}

TEST(Keysyms, Utf8TextBecomesCodePointsAndBrokenBytesAreSkipped) {
    EXPECT_EQ(code_points("a\xc3\xa9\xe2\x82\xac"), (std::vector<char32_t>{U'a', U'é', U'€'}));
    EXPECT_EQ(code_points("\xff" "b\xe2\x82"), (std::vector<char32_t>{U'b'}));
}

TEST(Keysyms, KeysThatTypeNothingGoByName) {
    EXPECT_EQ(keysym_of_key(SDLK_RETURN, KMOD_NONE), 0xff0du);
    EXPECT_EQ(keysym_of_key(SDLK_F12, KMOD_NONE), 0xffc9u);
    EXPECT_EQ(keysym_of_key(SDLK_LCTRL, KMOD_NONE), 0xffe3u);
    EXPECT_EQ(keysym_of_key(SDLK_KP_ENTER, KMOD_NUM), 0xff8du);
    EXPECT_EQ(keysym_of_key(SDLK_KP_7, KMOD_NONE), 0xff95u);        // Home without Num Lock
    EXPECT_FALSE(keysym_of_key(SDLK_KP_7, KMOD_NUM).has_value());  // a digit: sent as text
    EXPECT_FALSE(keysym_of_key(SDLK_a, KMOD_NONE).has_value());
}

}  // namespace
}  // namespace tether::window
