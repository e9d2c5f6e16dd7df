#include "host_api.h"

#include "buffer.h"

#include <spdlog/spdlog.h>

#include <ctime>

namespace tether {
namespace {

spdlog::level::level_enum to_spdlog(tether_log_level level) {
    switch (level) {
    case TETHER_LOG_TRACE: return spdlog::level::trace;
    case TETHER_LOG_DEBUG: return spdlog::level::debug;
    case TETHER_LOG_INFO: return spdlog::level::info;
    case TETHER_LOG_WARN: return spdlog::level::warn;
    case TETHER_LOG_ERROR: return spdlog::level::err;
    }
    return spdlog::level::err;
}

void plugin_log(tether_log_level level, const char* plugin, const char* message) {
    spdlog::log(to_spdlog(level), "[{}] {}", plugin ? plugin : "?", message ? message : "");
}

const tether_host_api api = {
    sizeof(tether_host_api),
    TETHER_ABI_CURRENT,
    &plugin_log,
    &buffer_alloc,
    &buffer_ref,
    &buffer_unref,
    &now_us,
};

}  // namespace

const tether_host_api* host_api() { return &api; }

int64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace tether
