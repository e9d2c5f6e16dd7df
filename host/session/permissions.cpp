#include "permissions.h"

#include <array>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace tether::session {
namespace {

constexpr std::array<std::pair<const char*, Permission>, 6> kNames{{
    {"view", kView}, {"input", kInput}, {"clipboard", kClipboard}, {"files", kFiles}, {"audio", kAudio}, {"tunnel", kTunnel},
}};

}  // namespace

uint32_t parse_permissions(const std::string& list) {
    uint32_t bits = 0;
    std::stringstream words(list);
    for (std::string word; std::getline(words, word, ',');) {
        if (word.empty()) continue;
        if (word == "all") {
            bits |= kAllPermissions;
            continue;
        }
        bool known = false;
        for (const auto& [name, bit] : kNames) {
            if (word == name) {
                bits |= bit;
                known = true;
            }
        }
        if (!known) throw std::invalid_argument("unknown permission '" + word + "' (view, input, clipboard, files, audio, tunnel, all)");
    }
    return bits;
}

std::string format_permissions(uint32_t bits) {
    std::string out;
    for (const auto& [name, bit] : kNames)
        if (bits & bit) out += (out.empty() ? "" : ",") + std::string(name);
    return out.empty() ? "none" : out;
}

}  // namespace tether::session
