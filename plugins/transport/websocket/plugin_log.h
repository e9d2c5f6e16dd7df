// Log lines of this plugin, through the host's logger.
#pragma once

#include <tether/plugin.hpp>

#include <string>

namespace tether::ws {

constexpr const char* kPluginName = "transport-websocket";

inline void log(tether_log_level level, const std::string& message) { tether::log(level, kPluginName, message); }

}  // namespace tether::ws
