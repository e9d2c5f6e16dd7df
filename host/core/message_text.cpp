#include "message_text.h"

namespace tether {

std::string join_names(const std::vector<std::string>& names, const std::string& when_empty) {
    std::string joined;
    for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
    return joined.empty() ? when_empty : joined;
}

std::string duration_text(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

namespace {

// The length of the valid UTF-8 sequence at the start of `text`, or 0.
size_t utf8_sequence(std::string_view text) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    const size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || length > text.size()) return 0;
    for (size_t i = 1; i < length; ++i)
        if ((byte(i) & 0xc0) != 0x80) return 0;
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
    if ((length == 2 && lead < 0xc2) || (length == 3 && lead == 0xe0 && byte(1) < 0xa0) ||
        (length == 3 && lead == 0xed && byte(1) >= 0xa0) || (length == 4 && lead == 0xf0 && byte(1) < 0x90) ||
        (length == 4 && (lead > 0xf4 || (lead == 0xf4 && byte(1) >= 0x90))))
        return 0;
    return length;
}

}  // namespace

bool is_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        const size_t length = utf8_sequence(text.substr(i));
        if (length == 0) return false;
        i += length;
    }
    return true;
}

std::string printable_line(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const size_t length = c < 0x20 || c == 0x7f ? 0 : utf8_sequence(text.substr(i));
        if (length == 0) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

}  // namespace tether
