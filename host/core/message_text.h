// How messages for people name lists and durations, the same everywhere:
// "vp9, vp8" and "10 s" (or "250 ms" for what is not whole seconds).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace tether {

// The items joined with ", "; `when_empty` for none.
std::string join_names(const std::vector<std::string>& names, const std::string& when_empty = "none");
std::string duration_text(std::chrono::milliseconds duration);

}  // namespace tether
