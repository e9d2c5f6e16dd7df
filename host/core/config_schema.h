// The table of configuration keys. One entry per key drives defaults,
// parsing, type and range checks, did-you-mean hints and plugin-name checks.
#pragma once

#include "config.h"

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether {

// Reads and writes one member of Config.
template <typename T>
struct ConfigField {
    T& (*of)(Config&);
    const T& (*of_const)(const Config&);
};

// The requirement a text value breaks ("must be one of ..."), or "" when it is valid.
using TextRule = std::string (*)(std::string_view value);

struct IntegerKey {
    ConfigField<Setting<int64_t>> field;
    int64_t fallback, min, max;
};

struct TextKey {
    ConfigField<Setting<std::string>> field;
    std::string fallback;
    TextRule rule;
    std::optional<tether_kind> plugin_kind;  // set when the value names a factory of this kind
};

// An array of strings; each element obeys `rule`. A plugin preference list must not be empty.
struct ListKey {
    ConfigField<Names> field;
    std::vector<std::string> fallback;
    TextRule rule;
    std::optional<tether_kind> plugin_kind;
};

struct ConfigKey {
    std::string name;  // full dotted name, e.g. "capture.fps"
    std::variant<IntegerKey, TextKey, ListKey> type;
};

const std::vector<ConfigKey>& config_keys();
const ConfigKey* find_config_key(std::string_view name);
bool is_config_section(std::string_view name);  // a table holding keys, e.g. "capture"
std::string did_you_mean_key(std::string_view unknown_name);

void set_default(const ConfigKey& key, Config& config);

// Validates `value` for `key` and stores it with its position. `origin` is
// the file name (or "command line") recorded in each Source.
void assign(const ConfigKey& key, Config& config, const toml::node& value, const std::string& origin);

// The factory names a key holds and their kind; nullopt for keys that name no plugin.
struct PluginNames {
    tether_kind kind;
    std::vector<const Setting<std::string>*> names;
};
std::optional<PluginNames> plugin_names(const ConfigKey& key, const Config& config);

// Helpers shared with the file and command-line readers.
Source source_at(const std::string& origin, const toml::source_region& region);
std::string type_name(const toml::node& node);  // "an integer", "a string", ...
std::string quoted_text(std::string_view text);      // 'text', control bytes escaped, long text cut short
// Throws "'<key>' <requirement>, got <got>".
[[noreturn]] void reject(const Source& source, std::string_view key, std::string_view requirement,
                         std::string_view got);

}  // namespace tether
