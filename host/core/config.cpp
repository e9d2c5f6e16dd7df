#include "config.h"

#include "config_schema.h"
#include "config_suggest.h"
#include "message_text.h"
#include "plugin_registry.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace tether {
namespace {

namespace fs = std::filesystem;

// A configuration file is a few kilobytes; anything far larger is a mistake or an attack.
constexpr size_t max_file_bytes = 1 << 20;

std::string read_bounded(const fs::path& path) {
    const Source source{path.string()};
    std::error_code error;  // when the type cannot be read, opening the file says why
    if (fs::is_directory(path, error)) throw ConfigError(source, "is a folder, not a configuration file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(source, std::string("cannot open: ") + std::strerror(errno));
    std::string text(max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw ConfigError(source, std::string("cannot read: ") + std::strerror(errno));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > max_file_bytes)
        throw ConfigError(source, "larger than " + std::to_string(max_file_bytes) + " bytes; not a configuration file");
    return text;
}

constexpr std::string_view kPluginsTable = "plugins";

struct Entry {
    std::string name;  // full dotted name
    const toml::key* key;
    const toml::node* value;
    std::optional<std::string> factory;  // set for a `[plugins.<factory>]` setting; then name is its key
    bool table_itself = false;           // the `[plugins.<factory>]` table, which names a factory even when empty
};

void collect_plugin_settings(const toml::table& plugins, std::vector<Entry>& entries) {
    for (const auto& [factory, table] : plugins) {
        const std::string name = std::string(kPluginsTable) + "." + std::string(factory.str());
        if (!table.is_table()) {
            entries.push_back({name, &factory, &table, std::nullopt, false});  // refused below: not a table
            continue;
        }
        entries.push_back({name, &factory, &table, std::string(factory.str()), true});
        for (const auto& [key, value] : *table.as_table())
            entries.push_back({std::string(key.str()), &key, &value, std::string(factory.str()), false});
    }
}

// Flattens a document into its entries, descending into known sections.
void collect(const toml::table& table, const std::string& prefix, std::vector<Entry>& entries) {
    for (const auto& [key, value] : table) {
        std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (value.is_table() && name == kPluginsTable)
            collect_plugin_settings(*value.as_table(), entries);
        else if (value.is_table() && is_config_section(name))
            collect(*value.as_table(), name, entries);
        else
            entries.push_back({std::move(name), &key, &value, std::nullopt, false});
    }
}

// The text a plugin receives for a setting: a string as written, a number or boolean as TOML writes it.
std::optional<std::string> setting_text(const toml::node& value) {
    if (const auto* text = value.as_string()) return text->get();
    if (!value.is_integer() && !value.is_floating_point() && !value.is_boolean()) return std::nullopt;
    std::ostringstream out;
    value.visit([&](const auto& scalar) { out << scalar; });
    return out.str();
}

void assign_plugin_setting(Config& config, const Entry& entry, const std::string& origin) {
    Config::PluginTable& table = config.plugins[*entry.factory];
    if (table.source.file.empty()) table.source = source_at(origin, entry.key->source());
    if (entry.table_itself) return;
    const std::string full = std::string(kPluginsTable) + "." + *entry.factory + "." + entry.name;
    // A plugin receives the name as a C string: it must be whole and printable.
    if (entry.name.empty() || std::ranges::any_of(entry.name, [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        throw ConfigError(source_at(origin, entry.key->source()),
                          quoted_text(full) + ": a setting's name must be printable and not empty");
    const Source source = source_at(origin, entry.value->source());
    const std::optional<std::string> text = setting_text(*entry.value);
    if (!text) reject(source, printable_line(full), "must be a string, number or boolean", type_name(*entry.value));
    table.values[entry.name] = {*text, source};
}

void apply_document(Config& config, const toml::table& document, const std::string& origin) {
    std::vector<Entry> entries;
    collect(document, "", entries);
    // Tables iterate in key order; the first error reported should be the first in the file.
    std::ranges::sort(entries, [](const Entry& a, const Entry& b) {
        return a.key->source().begin < b.key->source().begin;
    });
    for (const Entry& entry : entries) {
        if (entry.factory)
            assign_plugin_setting(config, entry, origin);
        else if (entry.name == kPluginsTable || entry.name.starts_with(std::string(kPluginsTable) + "."))
            reject(source_at(origin, entry.value->source()), entry.name,
                   entry.name == kPluginsTable ? "must be a table of [plugins.<factory>] tables"
                                               : "must be a table of that factory's settings",
                   type_name(*entry.value));
        else if (const ConfigKey* key = find_config_key(entry.name))
            assign(*key, config, *entry.value, origin);
        else if (is_config_section(entry.name))
            reject(source_at(origin, entry.value->source()), entry.name, "must be a table", type_name(*entry.value));
        else
            throw ConfigError(source_at(origin, entry.key->source()),
                              "unknown key " + quoted_text(entry.name) + did_you_mean_key(entry.name));
    }
}

void apply_file(Config& config, const fs::path& path) {
    const std::string origin = path.string();
    const std::string text = read_bounded(path);
    toml::table document;
    try {
        document = toml::parse(std::string_view(text), std::string_view(origin));
    } catch (const toml::parse_error& error) {
        throw ConfigError(source_at(origin, error.source()), "invalid TOML: " + std::string(error.description()));
    }
    apply_document(config, document, origin);
}

// The system and user layers are optional; a file that exists but cannot be read is still an error.
void apply_file_if_present(Config& config, const fs::path& path) {
    std::error_code error;
    if (path.empty() || (!fs::exists(path, error) && !error)) return;
    apply_file(config, path);
}

// A flag's text as the TOML value a file would hold for the same key.
std::unique_ptr<toml::node> flag_value(const ConfigKey& key, std::string_view text, const Source& source) {
    if (std::holds_alternative<IntegerKey>(key.type)) {
        int64_t number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size())
            reject(source, key.name, "must be an integer", quoted_text(text));
        return std::make_unique<toml::value<int64_t>>(number);
    }
    if (std::holds_alternative<TextKey>(key.type)) return std::make_unique<toml::value<std::string>>(text);

    auto list = std::make_unique<toml::array>();
    for (size_t start = 0; !text.empty() && start <= text.size();) {
        const size_t comma = std::min(text.find(',', start), text.size());
        std::string_view item = text.substr(start, comma - start);
        item.remove_prefix(std::min(item.find_first_not_of(' '), item.size()));
        item.remove_suffix(item.size() - std::min(item.find_last_not_of(' ') + 1, item.size()));
        list->push_back(std::string(item));
        start = comma + 1;
    }
    return list;
}

// "'video.encoders' names unknown encoder plugin 'nvenc'; available: vpx-vp9, vpx-vp8"
std::string unknown_plugin(const std::string& key, tether_kind kind, const std::string& name,
                           const std::vector<std::string>& available) {
    const std::string plugin = std::string(kind_name(kind)) + " plugin";
    std::string message =
        "'" + key + "' names unknown " + plugin + " " + quoted_text(name) + did_you_mean(name, available);
    if (available.empty()) return message + "; no " + plugin + " is loaded";
    return message + "; available: " + join_names(available);
}

}  // namespace

std::string Source::str() const {
    if (line == 0) return file;
    return file + ":" + std::to_string(line) + (column == 0 ? "" : ":" + std::to_string(column));
}

ConfigError::ConfigError(const Source& source, const std::string& message)
    : std::runtime_error(source.str() + ": " + message), source_(source) {}

fs::path user_config_path() {
    // The XDG base-directory rules ignore a relative $XDG_CONFIG_HOME.
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "tether" / "tether.toml";
    if (const char* home = std::getenv("HOME"); home && fs::path(home).is_absolute())
        return fs::path(home) / ".config" / "tether" / "tether.toml";
    return {};
}

Config default_config() {
    Config config;
    for (const ConfigKey& key : config_keys()) set_default(key, config);
    return config;
}

Config load_config(const ConfigFiles& files) {
    Config config = default_config();
    apply_file_if_present(config, files.system);
    apply_file_if_present(config, files.user.empty() ? user_config_path() : files.user);
    if (files.explicit_file) apply_file(config, *files.explicit_file);
    return config;
}

void set_from_command_line(Config& config, std::string_view name, std::string_view value) {
    const std::string origin = "command line";
    const ConfigKey* key = find_config_key(name);
    if (!key) throw ConfigError({origin}, "unknown key " + quoted_text(name) + did_you_mean_key(name));
    assign(*key, config, *flag_value(*key, value, {origin}), origin);
}

void validate_plugin_names(const Config& config,
                           const std::function<std::vector<std::string>(tether_kind)>& names_of_kind) {
    for (const ConfigKey& key : config_keys()) {
        const std::optional<PluginNames> named = plugin_names(key, config);
        if (!named) continue;
        const std::vector<std::string> available = names_of_kind(named->kind);
        for (const Setting<std::string>* name : named->names) {
            // Built-in defaults may name plugins a minimal build leaves out;
            // only what a user wrote must exist.
            if (name->source.str() == kBuiltInSource) continue;
            if (std::ranges::find(available, name->value) == available.end())
                throw ConfigError(name->source, unknown_plugin(key.name, named->kind, name->value, available));
        }
    }
}

}  // namespace tether
