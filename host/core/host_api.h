// The tether_host_api instance every plugin receives.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <map>
#include <string>

namespace tether {

const tether_host_api* host_api();

// factory name -> key -> value text: what `setting()` answers plugins (ABI 1.3).
using PluginSettingValues = std::map<std::string, std::map<std::string, std::string>>;
// Replaces what plugins read; values given out before stay valid.
void set_plugin_settings(const PluginSettingValues& settings);
int64_t now_us();  // CLOCK_REALTIME microseconds

}  // namespace tether
