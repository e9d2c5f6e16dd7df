// What a session may do. The viewer asks, the host grants at most what its
// policy allows, and the host checks every message it receives against it.
#pragma once

#include <cstdint>
#include <string>

namespace tether::session {

enum Permission : uint32_t {
    kView = 1u << 0,
    kInput = 1u << 1,
    kClipboard = 1u << 2,
    kFiles = 1u << 3,
    kAudio = 1u << 4,
    kTunnel = 1u << 5,
};
constexpr uint32_t kAllPermissions = kView | kInput | kClipboard | kFiles | kAudio | kTunnel;

// "view,input" <-> bits. parse throws std::invalid_argument naming an unknown word.
uint32_t parse_permissions(const std::string& list);
std::string format_permissions(uint32_t bits);

}  // namespace tether::session
