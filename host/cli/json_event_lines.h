// The events a `tether ... --json` command prints on stdout while it runs, a
// JSON object a line ({"event": "ready", ...}): fed as they come, awaited by name.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace tether::cli {

class JsonEventLines {
public:
    void feed(std::string_view output);  // any piece of stdout, from any thread
    // The first event named `name` not taken yet; nullopt once `timeout` has
    // passed or `ended()` says the program is gone. Other events stay for later calls.
    std::optional<nlohmann::json> wait_for(const std::string& name, std::chrono::milliseconds timeout,
                                           const std::function<bool()>& ended);

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::string partial_line_;
    std::deque<nlohmann::json> events_;
};

}  // namespace tether::cli
