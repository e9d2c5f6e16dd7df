// How long a wait may take: its own limit, or what is left before the
// command's deadline (--seconds) when that comes first.
#pragma once

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace tether::cli {

using Deadline = std::chrono::steady_clock::time_point;
constexpr Deadline kNoDeadline = Deadline::max();

// Throws std::runtime_error once the deadline has passed.
template <class Rep, class Period>
std::chrono::milliseconds time_left(Deadline deadline, std::chrono::duration<Rep, Period> limit) {
    const auto now = std::chrono::steady_clock::now();
    const auto wanted = std::chrono::duration_cast<std::chrono::milliseconds>(limit);
    if (deadline == kNoDeadline) return wanted;
    if (now >= deadline) throw std::runtime_error("the session's time was up");
    return std::min(wanted, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
}

}  // namespace tether::cli
