// The `[plugins.x11-clipboard]` settings, and the size limit they set.
#pragma once

#include <tether/plugin.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace tether::clipboard {

inline constexpr const char* factory_name = "x11-clipboard";

struct ClipboardSettings {
    std::string display;  // empty: $DISPLAY
    bool primary = false; // share the PRIMARY selection too
    size_t max_bytes = size_t{1} << 20;
};

// check_setting (ABI 1.3): display, primary, max_bytes.
int check_setting(const char* key, const char* value, tether_error* why);

// What the host holds for this factory, defaults for what it does not.
ClipboardSettings read_settings(const tether_host_api* host);

// True when `size` bytes are within `limit`; otherwise logs one line naming
// `what`, its size ("at least" that when only a part is known) and the limit, and returns false.
bool within_limit(std::string_view what, size_t size, size_t limit, bool at_least = false);

}  // namespace tether::clipboard
