#include "clipboard_settings.h"

#include <tether/plugin.hpp>

#include <charconv>
#include <cstring>
#include <optional>

namespace tether::clipboard {
namespace {

constexpr size_t max_bytes_ceiling = size_t{16} << 20;
constexpr size_t max_display_name = 255;

std::optional<bool> boolean_in(std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return std::nullopt;
}

std::optional<size_t> byte_count_in(std::string_view text) {
    size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 1 || value > max_bytes_ceiling)
        return std::nullopt;
    return value;
}

int refuse(tether_error* why, const char* text) {
    write_error(why, text);
    return TETHER_ERROR;
}

}  // namespace

int check_setting(const char* key, const char* value, tether_error* why) {
    const std::string_view text = value;
    if (std::strcmp(key, "display") == 0)
        return text.empty() || text.size() > max_display_name ? refuse(why, "must name an X display, as \":1\"")
                                                              : TETHER_OK;
    if (std::strcmp(key, "primary") == 0)
        return boolean_in(text) ? TETHER_OK : refuse(why, "must be true or false");
    if (std::strcmp(key, "max_bytes") == 0)
        return byte_count_in(text) ? TETHER_OK
                                   : refuse(why, "must be a whole number of bytes, from 1 to 16777216 (16 MiB)");
    return refuse(why, "is not a setting of x11-clipboard (display, primary, max_bytes)");
}

ClipboardSettings read_settings(const tether_host_api* host) {
    ClipboardSettings settings;
    // The host checked each value with check_setting; one that still does not parse keeps the default.
    if (const auto display = setting(host, factory_name, "display")) settings.display = *display;
    if (const auto primary = setting(host, factory_name, "primary"))
        settings.primary = boolean_in(*primary).value_or(settings.primary);
    if (const auto max_bytes = setting(host, factory_name, "max_bytes"))
        settings.max_bytes = byte_count_in(*max_bytes).value_or(settings.max_bytes);
    return settings;
}

bool within_limit(std::string_view what, size_t size, size_t limit, bool at_least) {
    if (size <= limit) return true;
    log(TETHER_LOG_WARN, factory_name,
        std::string(what) + (at_least ? " is at least " : " is ") + std::to_string(size) +
            " bytes, over the limit of " + std::to_string(limit) + " bytes (max_bytes): not shared");
    return false;
}

}  // namespace tether::clipboard
