// The buffer a plugin writes one call's reason into. What the plugin wrote
// is cut at the buffer's end (a plugin may forget the terminating NUL) and
// made one printable line, since a plugin's words reach terminals, logs and JSON.
#pragma once

#include "message_text.h"

#include <tether/plugin.h>

#include <array>
#include <string>

namespace tether {

struct PluginErrorText {
    std::array<char, 512> text{};
    tether_error err{text.data(), text.size() - 1};  // the last byte stays NUL whatever the plugin writes

    std::string str(const char* fallback) const {
        return text[0] != '\0' ? printable_line(text.data()) : std::string(fallback);
    }
};

}  // namespace tether
