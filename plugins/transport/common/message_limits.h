// The largest message a socket transport carries, and the one wording for a
// message over a limit, whether we send or receive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::transport {

constexpr uint32_t kMaxMessageSize = 16u << 20;

inline std::string too_large_reason(size_t size, size_t limit = kMaxMessageSize) {
    return "message too large (" + std::to_string(size) + " bytes > " + std::to_string(limit) + ")";
}

// For a message refused before its whole size is known.
inline std::string over_limit_reason(size_t limit) {
    return "message too large (more than " + std::to_string(limit) + " bytes)";
}

}  // namespace tether::transport
