// "WxH" command-line sizes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace tether::cli {

// Throws UsageError unless the text is two positive decimal numbers joined by 'x'.
std::pair<uint32_t, uint32_t> parse_size(const std::string& text);

}  // namespace tether::cli
