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

}  // namespace tether
