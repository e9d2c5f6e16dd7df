// Words from elsewhere (a plugin's reason) become one printable line of
// valid UTF-8, whatever bytes they were.
#include "core/message_text.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

TEST(PrintableLine, KeepsTextAndShowsWhatIsNotPrintableAsHex) {
    EXPECT_EQ(printable_line("no NVIDIA driver"), "no NVIDIA driver");
    EXPECT_EQ(printable_line("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
    EXPECT_EQ(printable_line("two\nlines\x1b[31m"), "two\\x0alines\\x1b[31m");
    EXPECT_EQ(printable_line("caf\xe9"), "caf\\xe9");                 // Latin-1, not UTF-8
    EXPECT_EQ(printable_line("\xc0\xaf"), "\\xc0\\xaf");              // an overlong '/'
    EXPECT_EQ(printable_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");     // a surrogate
    EXPECT_EQ(printable_line("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
    EXPECT_EQ(printable_line("cut \xe2\x9c"), "cut \\xe2\\x9c");      // a sequence cut short
    EXPECT_EQ(printable_line(std::string_view("a\0b", 3)), "a\\x00b");
}

}  // namespace
}  // namespace tether
