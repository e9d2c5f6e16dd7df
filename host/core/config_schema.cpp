#include "config_schema.h"

#include "config_suggest.h"
#include "congestion/rate_controller.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace tether {
namespace {

// Values come from files others may write; these bound what one key can hold.
constexpr size_t max_text_bytes = 4096;
constexpr size_t max_list_entries = 64;

std::string any_text(std::string_view) { return {}; }

std::string not_empty(std::string_view value) { return value.empty() ? "must not be empty" : ""; }

std::string log_level_name(std::string_view value) {
    constexpr std::array levels{"trace", "debug", "info", "warn", "error"};
    return std::ranges::find(levels, value) == levels.end()
               ? "must be one of trace, debug, info, warn, error"
               : "";
}

std::string preset_name(std::string_view value) {
    return congestion::preset_named(std::string(value)) ? "" : "must be one of balanced, best-quality, low-bandwidth";
}

// HOST:PORT, where HOST may be a bracketed IPv6 address such as [::1].
std::string host_port(std::string_view value) {
    const std::string requirement = "must be HOST:PORT with a port from 0 to 65535";
    const size_t colon = value.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return requirement;
    const std::string_view port = value.substr(colon + 1);
    unsigned number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    const bool valid_port =
        !port.empty() && error == std::errc{} && end == port.data() + port.size() && number <= 65535;
    return valid_port ? "" : requirement;
}

std::string host_port_or_empty(std::string_view value) { return value.empty() ? "" : host_port(value); }

// KEY(capture.fps) gives the key's name and an accessor for the same member,
// so the two can never disagree. decltype(auto) rather than auto&: clang 14
// cannot turn an auto& lambda into the const accessor's function pointer.
#define KEY(member) #member, [](auto& config) -> decltype(auto) { return (config.member); }

template <typename Member>
ConfigKey integer(std::string_view name, Member member, int64_t fallback, int64_t min, int64_t max) {
    return {std::string(name), IntegerKey{{member, member}, fallback, min, max}};
}

template <typename Member>
ConfigKey text(std::string_view name, Member member, std::string fallback, TextRule rule,
               std::optional<tether_kind> plugin_kind = {}) {
    return {std::string(name), TextKey{{member, member}, std::move(fallback), rule, plugin_kind}};
}

template <typename Member>
ConfigKey list(std::string_view name, Member member, std::vector<std::string> fallback, TextRule rule,
               std::optional<tether_kind> plugin_kind = {}) {
    return {std::string(name), ListKey{{member, member}, std::move(fallback), rule, plugin_kind}};
}

std::vector<std::string> section_names() {
    std::vector<std::string> sections;
    for (const ConfigKey& key : config_keys()) {
        const size_t dot = key.name.find('.');
        if (dot != std::string::npos && std::ranges::find(sections, key.name.substr(0, dot)) == sections.end())
            sections.push_back(key.name.substr(0, dot));
    }
    return sections;
}

Setting<std::string> read_text(std::string_view name, TextRule rule, const toml::node& node,
                               const std::string& origin) {
    const Source source = source_at(origin, node.source());
    const auto* text = node.as_string();
    if (!text) reject(source, name, "must be a string", type_name(node));
    const std::string& value = text->get();
    if (value.size() > max_text_bytes)
        reject(source, name, "must be at most " + std::to_string(max_text_bytes) + " bytes long",
               std::to_string(value.size()) + " bytes");
    if (const std::string requirement = rule(value); !requirement.empty())
        reject(source, name, requirement, quoted_text(value));
    return {value, source};
}

Setting<int64_t> read_integer(std::string_view name, const IntegerKey& key, const toml::node& node,
                              const std::string& origin) {
    const Source source = source_at(origin, node.source());
    const auto* integer = node.as_integer();
    if (!integer) reject(source, name, "must be an integer", type_name(node));
    const int64_t value = integer->get();
    if (value < key.min || value > key.max)
        reject(source, name, "must be from " + std::to_string(key.min) + " to " + std::to_string(key.max),
               std::to_string(value));
    return {value, source};
}

Names read_list(std::string_view name, const ListKey& key, const toml::node& node, const std::string& origin) {
    const Source source = source_at(origin, node.source());
    const auto* array = node.as_array();
    if (!array) reject(source, name, "must be an array of strings", type_name(node));
    if (array->size() > max_list_entries)
        reject(source, name, "must have at most " + std::to_string(max_list_entries) + " entries",
               std::to_string(array->size()));
    // Every run needs a capturer, a codec and a transport; services are extras.
    if (key.plugin_kind && *key.plugin_kind != TETHER_KIND_SERVICE && array->empty())
        reject(source, name, "must name at least one plugin", "an empty array");
    Names names;
    for (size_t i = 0; i < array->size(); ++i)
        names.push_back(read_text(std::string(name) + "[" + std::to_string(i) + "]", key.rule, *array->get(i), origin));
    return names;
}

template <class... Visitors>
struct Overloaded : Visitors... {
    using Visitors::operator()...;
};
// Spelled out for clang 14, which does not deduce aggregate template arguments.
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

}  // namespace

// Adding a key is one line here plus its field in Config; everything else follows from the line.
const std::vector<ConfigKey>& config_keys() {
    static const std::vector<ConfigKey> keys = {
        list(KEY(plugin_path), {}, not_empty),
        text(KEY(log_level), "info", log_level_name),
        integer(KEY(probe_timeout), 10, 1, 300),
        text(KEY(capture.plugin), "synthetic", not_empty, TETHER_KIND_CAPTURE),
        text(KEY(capture.source), "", any_text),
        integer(KEY(capture.width), 1920, 16, 16384),
        integer(KEY(capture.height), 1080, 16, 16384),
        integer(KEY(capture.fps), 30, 1, 240),
        list(KEY(video.encoders), {"aom-av1", "vpx-vp9", "vpx-vp8", "x264-h264"}, not_empty, TETHER_KIND_ENCODER),
        list(KEY(video.decoders), {"dav1d-av1", "vpx-vp9", "vpx-vp8", "avcodec-h264"}, not_empty, TETHER_KIND_DECODER),
        integer(KEY(video.bitrate_kbps), 0, 0, 1'000'000),
        integer(KEY(video.threads), 0, 0, 64),
        integer(KEY(video.speed), -1, -1, 16),
        text(KEY(video.preset), "balanced", preset_name),
        list(KEY(network.transports), {"tcp", "udp"}, not_empty, TETHER_KIND_TRANSPORT),
        text(KEY(network.listen), "127.0.0.1:0", host_port),
        integer(KEY(network.write_timeout), 15, 1, 3600),
        text(KEY(network.rendezvous), "", any_text),
        text(KEY(network.rendezvous_key), "", any_text),
        integer(KEY(network.resume_window), 30, 0, 3600),
        list(KEY(services.plugins), {"x11-input", "x11-clipboard"}, not_empty, TETHER_KIND_SERVICE),
        integer(KEY(security.login_timeout), 10, 1, 600),
        integer(KEY(security.pending_logins), 128, 1, 100'000),
        integer(KEY(security.pending_logins_per_source), 8, 1, 100'000),
        integer(KEY(security.max_sessions), 64, 1, 10'000),
        integer(KEY(security.confirm_timeout), 30, 1, 3600),
        text(KEY(server.rendezvous_listen), "0.0.0.0:21116", host_port),
        text(KEY(server.nat_test_listen), "0.0.0.0:21115", host_port_or_empty),
        text(KEY(server.relay_listen), "0.0.0.0:21117", host_port),
        text(KEY(server.metrics_listen), "127.0.0.1:21120", host_port_or_empty),
        list(KEY(server.relays), {":21117"}, not_empty),
        text(KEY(server.relay_secret_file), "", any_text),
        text(KEY(server.announce_to), "", any_text),
        text(KEY(server.relay_address), "", host_port_or_empty),
        text(KEY(server.rendezvous_key), "", any_text),
        integer(KEY(server.relay_session_kbps), 0, 0, 100'000'000),
        integer(KEY(server.relay_total_kbps), 0, 0, 1'000'000'000),
        integer(KEY(server.websocket_port), 21119, 0, 65535),
    };
    return keys;
}

#undef KEY

const ConfigKey* find_config_key(std::string_view name) {
    const auto& keys = config_keys();
    const auto found = std::ranges::find(keys, name, &ConfigKey::name);
    return found == keys.end() ? nullptr : &*found;
}

bool is_config_section(std::string_view name) {
    static const std::vector<std::string> sections = section_names();
    return std::ranges::find(sections, name) != sections.end();
}

std::string did_you_mean_key(std::string_view unknown_name) {
    static const std::vector<std::string> known = [] {
        std::vector<std::string> names = section_names();
        for (const ConfigKey& key : config_keys()) names.push_back(key.name);
        return names;
    }();
    return did_you_mean(unknown_name, known);
}

void set_default(const ConfigKey& key, Config& config) {
    const Source built_in{kBuiltInSource};
    std::visit(Overloaded{
                   [&](const IntegerKey& k) { k.field.of(config) = {k.fallback, built_in}; },
                   [&](const TextKey& k) { k.field.of(config) = {k.fallback, built_in}; },
                   [&](const ListKey& k) {
                       Names names;
                       for (const std::string& name : k.fallback) names.push_back({name, built_in});
                       k.field.of(config) = std::move(names);
                   },
               },
               key.type);
}

void assign(const ConfigKey& key, Config& config, const toml::node& value, const std::string& origin) {
    std::visit(Overloaded{
                   [&](const IntegerKey& k) { k.field.of(config) = read_integer(key.name, k, value, origin); },
                   [&](const TextKey& k) { k.field.of(config) = read_text(key.name, k.rule, value, origin); },
                   [&](const ListKey& k) { k.field.of(config) = read_list(key.name, k, value, origin); },
               },
               key.type);
}

std::optional<PluginNames> plugin_names(const ConfigKey& key, const Config& config) {
    return std::visit(Overloaded{
                          [](const IntegerKey&) -> std::optional<PluginNames> { return std::nullopt; },
                          [&](const TextKey& k) -> std::optional<PluginNames> {
                              if (!k.plugin_kind) return std::nullopt;
                              return PluginNames{*k.plugin_kind, {&k.field.of_const(config)}};
                          },
                          [&](const ListKey& k) -> std::optional<PluginNames> {
                              if (!k.plugin_kind) return std::nullopt;
                              PluginNames found{*k.plugin_kind, {}};
                              for (const Setting<std::string>& name : k.field.of_const(config))
                                  found.names.push_back(&name);
                              return found;
                          },
                      },
                      key.type);
}

Source source_at(const std::string& origin, const toml::source_region& region) {
    return {origin, static_cast<int64_t>(region.begin.line), static_cast<int64_t>(region.begin.column)};
}

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a floating-point number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

std::string quoted_text(std::string_view text) {
    // Keys and values come from files others may write; a message stays one short line.
    constexpr size_t longest_shown = 256;
    std::string out = "'";
    for (const char c : text.substr(0, longest_shown)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == '\'' || c == '\\') {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + (text.size() > longest_shown ? "'..." : "'");
}

void reject(const Source& source, std::string_view key, std::string_view requirement, std::string_view got) {
    throw ConfigError(source, "'" + std::string(key) + "' " + std::string(requirement) + ", got " + std::string(got));
}

}  // namespace tether
