// Finds, loads and keeps plugins. A plugin that fails any check is refused
// with a reason and the host carries on with the rest.
#pragma once

#include <tether/plugin.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tether {

// One loaded library. Destroyed (deinit, then dlclose) when the registry and
// every object made from it have let go of it.
class LoadedPlugin;

struct Factory {
    std::shared_ptr<LoadedPlugin> plugin;
    tether_kind kind{};
    std::string name;
    std::string description;
    int32_t rank = 0;
    const void* vtable = nullptr;
    // ABI 1.3, from plugins that agreed to it: the settings check (null: takes
    // none) and what the probe's answer depends on besides the plugin file.
    int (*check_setting)(const char* key, const char* value, tether_error* why) = nullptr;
    std::vector<std::string> probe_inputs;

    template <typename VTable>
    const VTable& table() const { return *static_cast<const VTable*>(vtable); }
    const std::string& plugin_name() const;
    const std::filesystem::path& plugin_file() const;
    std::string plugin_version() const;
    uint32_t abi_version() const;  // agreed with the plugin
    const tether_host_api* host() const;  // the host API as agreed with the plugin
};

struct LoadFailure {
    std::filesystem::path file;
    std::string reason;
};

class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Loads every *.so in each folder, earlier folders first; a plugin name
    // already loaded is skipped with a log line.
    void load_search_path(const std::vector<std::filesystem::path>& folders);
    // Loads one file; false (and a recorded failure) when it is refused.
    bool load_file(const std::filesystem::path& file);

    const std::vector<Factory>& factories() const { return factories_; }
    const std::vector<LoadFailure>& failures() const { return failures_; }
    const Factory* find(tether_kind kind, std::string_view name) const;
    std::vector<const Factory*> of_kind(tether_kind kind) const;  // highest rank first

private:
    std::vector<std::shared_ptr<LoadedPlugin>> plugins_;
    std::vector<Factory> factories_;
    std::vector<LoadFailure> failures_;
};

// $TETHER_PLUGIN_PATH, then the config's plugin_path, then <exe>/../lib/tether/plugins
// (build/bin/tether finds build/lib/tether/plugins the same way an installed one
// finds <prefix>/lib/tether/plugins: no build path is baked in). Folders that do
// not exist are left out.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& configured);

const char* kind_name(tether_kind kind);

}  // namespace tether
