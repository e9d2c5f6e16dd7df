// Log lines of this plugin, through the host's logger.
#pragma once

#include <tether/plugin.hpp>

#include <string>

namespace tether::tcp {

constexpr const char* kPluginName = "transport-tcp";

inline void log(tether_log_level level, const std::string& message) { tether::log(level, kPluginName, message); }

}  // namespace tether::tcp
