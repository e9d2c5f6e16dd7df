// "Did you mean ...?" hints for misspelt keys and plugin names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tether {

// " (did you mean 'x'?)" naming the candidate closest to `word`, or "" when
// none is close enough to be a likely typo. A candidate whose last dotted
// segment equals the word's also counts, so "video.fps" suggests "capture.fps".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tether
