// How messages for people name lists and durations, the same everywhere:
// "vp9, vp8" and "10 s" (or "250 ms" for what is not whole seconds); and how
// words from elsewhere (a plugin's reason) become one printable line.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace tether {

// The items joined with ", "; `when_empty` for none.
std::string join_names(const std::vector<std::string>& names, const std::string& when_empty = "none");
std::string duration_text(std::chrono::milliseconds duration);
// `text` as one line of valid UTF-8: control bytes and bytes that are not
// UTF-8 appear as \xNN, so they reach terminals, logs and JSON harmlessly.
std::string printable_line(std::string_view text);
// True when `text` is UTF-8 throughout (no overlong forms, surrogates or values past U+10FFFF).
bool is_utf8(std::string_view text);

}  // namespace tether
