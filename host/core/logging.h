// Process-wide logging setup (spdlog). Logs go to stderr so stdout stays data.
#pragma once

#include <string>

namespace tether {

// "trace", "debug", "info", "warn", "error", "off"; throws std::invalid_argument otherwise.
void set_log_level(const std::string& level);
void init_logging();
// One JSON object a line ({"time", "level", "message"}), for servers whose logs are collected.
void use_json_logs();

}  // namespace tether
