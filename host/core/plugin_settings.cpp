#include "plugin_settings.h"

#include "config_schema.h"
#include "config_suggest.h"
#include "host_api.h"
#include "message_text.h"
#include "plugin_error_text.h"

#include <set>

namespace tether {
namespace {

std::string full_key(const std::string& factory, const std::string& key) {
    return printable_line("plugins." + factory + "." + key);
}

// Why no factory of that name accepts the value, or empty when one does.
std::string refusal(const std::vector<const Factory*>& takers, const std::string& key, const std::string& value) {
    std::string why;
    for (const Factory* factory : takers) {
        PluginErrorText text;
        if (factory->check_setting(key.c_str(), value.c_str(), &text.err) == TETHER_OK) return {};
        if (why.empty()) why = text.str(("refused by " + factory->name).c_str());
    }
    return why;
}

}  // namespace

void apply_plugin_settings(const Config& config, const PluginRegistry& registry) {
    PluginSettingValues values;
    for (const auto& [name, table] : config.plugins) {
        std::vector<const Factory*> named;
        std::vector<const Factory*> takers;
        for (const Factory& factory : registry.factories()) {
            if (factory.name != name) continue;
            named.push_back(&factory);
            if (factory.check_setting != nullptr) takers.push_back(&factory);
        }
        if (named.empty()) {
            std::set<std::string> loaded;
            for (const Factory& factory : registry.factories()) loaded.insert(factory.name);
            const std::vector<std::string> available(loaded.begin(), loaded.end());
            throw ConfigError(table.source, "'plugins." + printable_line(name) + "' names no loaded plugin factory" +
                                                did_you_mean(printable_line(name), available) + "; available: " + join_names(available));
        }
        if (takers.empty() && !table.values.empty())
            throw ConfigError(table.source, "'plugins." + name + "': " + name + " takes no settings");
        for (const auto& [key, value] : table.values) {
            if (const std::string why = refusal(takers, key, value.value); !why.empty())
                throw ConfigError(value.source, "'" + full_key(name, key) + "' " + why + ", got " + quoted_text(value.value));
            values[name][key] = value.value;
        }
    }
    set_plugin_settings(values);
}

}  // namespace tether
