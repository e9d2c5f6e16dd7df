// How keys appear in Tether's text files and output: lowercase hex, fields separated by one space.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tether::security {

std::string to_hex(std::span<const uint8_t> bytes);
// True when `text` is exactly out.size() bytes of hex; `out` is left zeroed otherwise.
bool parse_hex(std::string_view text, std::span<uint8_t> out);
// "a b c" -> {"a", "b", "c"}; empty fields are kept so that doubled spaces are noticed.
std::vector<std::string_view> split_fields(std::string_view line);

}  // namespace tether::security
