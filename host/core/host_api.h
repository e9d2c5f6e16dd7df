// The tether_host_api instance every plugin receives.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace tether {

const tether_host_api* host_api();

// factory name -> key -> value text: what `setting()` answers plugins (ABI 1.3).
using PluginSettingValues = std::map<std::string, std::map<std::string, std::string>>;
// Replaces what plugins read; values given out before stay valid.
void set_plugin_settings(const PluginSettingValues& settings);
// Where services' messages go (ABI 1.4 `publish`): answers TETHER_OK, or
// TETHER_ERROR with the reason. Empty: refused, nothing takes them here.
using ServicePublisher = std::function<int(const tether_service_message&, std::string& why)>;
void set_service_publisher(ServicePublisher publisher);
int64_t now_us();  // CLOCK_REALTIME microseconds

}  // namespace tether
