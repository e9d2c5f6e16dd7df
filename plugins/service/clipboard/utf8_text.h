// Text as X clients and viewers hand it over, made safe to pass on: UTF-8
// that is valid, and Latin-1 (the X STRING type) both ways.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::clipboard {

// `bytes` as valid UTF-8: each byte that starts no well-formed sequence
// (overlong forms, surrogates and code points past U+10FFFF included) becomes U+FFFD.
std::string repaired_utf8(std::string_view bytes);

std::string utf8_from_latin1(std::string_view latin1);

// `utf8` (valid) in Latin-1, or nullopt when it holds a character past U+00FF.
std::optional<std::string> latin1_from_utf8(std::string_view utf8);

}  // namespace tether::clipboard
