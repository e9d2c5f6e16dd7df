#include "logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tether {

void init_logging() {
    auto logger = spdlog::stderr_color_mt("tether");
    logger->set_pattern("%H:%M:%S.%e %^%-5l%$ %v");
    spdlog::set_default_logger(logger);
}

void set_log_level(const std::string& level) {
    const auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") throw std::invalid_argument("unknown log level '" + level + "'");
    spdlog::set_level(parsed);
}

}  // namespace tether
