#include "size_option.h"

#include "context.h"

#include <charconv>

namespace tether::cli {

std::pair<uint32_t, uint32_t> parse_size(const std::string& text) {
    const auto x = text.find('x');
    uint32_t w = 0;
    uint32_t h = 0;
    const auto parse = [](std::string_view part, uint32_t& out) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc() && end == part.data() + part.size() && !part.empty() && out > 0;
    };
    const std::string_view all(text);
    if (x == std::string::npos || !parse(all.substr(0, x), w) || !parse(all.substr(x + 1), h))
        throw UsageError("--size must look like 1920x1080, got '" + text + "'");
    return {w, h};
}

}  // namespace tether::cli
