#include "key_text.h"

#include <sodium.h>

namespace tether::security {

std::string to_hex(std::span<const uint8_t> bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

bool parse_hex(std::string_view text, std::span<uint8_t> out) {
    size_t decoded = 0;
    const bool ok = text.size() == out.size() * 2 &&
                    sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &decoded, nullptr) == 0 &&
                    decoded == out.size();
    if (!ok) sodium_memzero(out.data(), out.size());
    return ok;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (true) {
        const size_t space = line.find(' ', start);
        fields.push_back(line.substr(start, space - start));
        if (space == std::string_view::npos) return fields;
        start = space + 1;
    }
}

}  // namespace tether::security
