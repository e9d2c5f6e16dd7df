// `[plugins.<factory>]` settings: each checked by the factory it names, then
// handed to plugins through the host API's setting() (ABI 1.3).
#pragma once

#include "config.h"
#include "plugin_registry.h"

namespace tether {

// Throws ConfigError at the file and line of the first setting no factory of
// that name accepts, of a table naming no loaded factory, or of settings for a
// factory that takes none. Then makes the settings what plugins read.
void apply_plugin_settings(const Config& config, const PluginRegistry& registry);

}  // namespace tether
