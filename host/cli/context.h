// What every command starts from: options shared by all commands, the
// layered configuration and the loaded plugins.
#pragma once

#include "core/config.h"
#include "core/plugin_chooser.h"
#include "core/plugin_registry.h"

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace tether::cli {

// Bad usage: exit code 2, like a configuration error.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct GlobalOptions {
    int verbosity = 0;                      // each -v lowers the log level one step
    std::optional<std::string> config_file;  // --config
    std::optional<std::string> data_dir;     // --data-dir: identity, pins, passwords
    bool json = false;
};

struct Context {
    Config config;
    PluginRegistry registry;
    // Probes each factory at most once, in a child process, and keeps the
    // answers in <data dir>/probe-cache.json.
    std::unique_ptr<PluginChooser> chooser;
};

// Loads the configuration layers, applies `overrides` (key -> flag value, the
// top layer), sets logging, loads plugins, checks every plugin the
// configuration names and every `[plugins.<factory>]` setting. Throws
// ConfigError for anything the user must fix. `fresh_probes` ignores the
// probe answers kept from earlier runs.
std::unique_ptr<Context> make_context(const GlobalOptions& options, const std::map<std::string, std::string>& overrides,
                                      bool fresh_probes = false);

}  // namespace tether::cli
