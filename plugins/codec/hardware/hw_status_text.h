// A vendor status code's name from a table of them, for error messages.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace tether::hw {

// The table's name for `code`, or "<what> <number>" for one it lacks.
template <typename Code>
std::string status_text(std::span<const std::pair<Code, const char*>> names, Code code, std::string_view what) {
    for (const auto& [known, name] : names)
        if (known == code) return name;
    return std::string(what) + " " + std::to_string(static_cast<long long>(code));
}

}  // namespace tether::hw
