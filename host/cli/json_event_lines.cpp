#include "json_event_lines.h"

#include <algorithm>

namespace tether::cli {

void JsonEventLines::feed(std::string_view output) {
    std::lock_guard lock(mutex_);
    partial_line_.append(output);
    for (size_t end; (end = partial_line_.find('\n')) != std::string::npos;) {
        auto event = nlohmann::json::parse(partial_line_.substr(0, end), nullptr, false);
        partial_line_.erase(0, end + 1);
        if (event.is_object()) events_.push_back(std::move(event));
    }
    arrived_.notify_all();
}

std::optional<nlohmann::json> JsonEventLines::wait_for(const std::string& name, std::chrono::milliseconds timeout,
                                                       const std::function<bool()>& ended) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto named = std::ranges::find_if(events_, [&](const auto& e) { return e.value("event", "") == name; });
        if (named != events_.end()) {
            auto event = std::move(*named);
            events_.erase(named);
            return event;
        }
        // An end is noticed within a tenth of a second: it says nothing when it comes.
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline || ended()) return std::nullopt;
        arrived_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(100)));
    }
}

}  // namespace tether::cli
