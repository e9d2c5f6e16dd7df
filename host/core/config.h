// The host's configuration: built-in defaults, overridden in turn by the
// system file, the user's file, --config FILE and command-line flags.
// Every key is validated; each value remembers where it came from so errors
// can name the file and line.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tether {

inline constexpr const char* kBuiltInSource = "built-in";

// Where a value was set: "built-in", "command line", or a file position.
struct Source {
    std::string file;
    int64_t line = 0;    // 0 when not from a file position
    int64_t column = 0;  // 0 when unknown
    std::string str() const;  // "file", "file:line" or "file:line:column"
};

template <typename T>
struct Setting {
    T value{};
    Source source;
};

// A list of names where each element keeps its own source, so an unknown
// plugin name can be reported at the line of that very element.
using Names = std::vector<Setting<std::string>>;

// Every key, its range and meaning: docs/configuration.md. A default-constructed
// Config is empty; default_config() and load_config() fill in the built-in values.
struct Config {
    Names plugin_path;
    Setting<std::string> log_level;
    Setting<int64_t> probe_timeout;  // seconds a plugin's probe may take, in its child process
    struct Capture {
        Setting<std::string> plugin;
        Setting<std::string> source;
        Setting<int64_t> width, height;
        Setting<int64_t> fps;
    } capture;
    struct Video {
        Names encoders;
        Names decoders;
        Setting<int64_t> bitrate_kbps;  // the most a session is sent; 0: the preset's
        Setting<int64_t> threads;
        Setting<int64_t> speed;
        Setting<std::string> preset;  // the rate controller's: balanced, best-quality, low-bandwidth
    } video;
    struct Network {
        Names transports;
        Setting<std::string> listen;
        Setting<int64_t> write_timeout;  // seconds
        Setting<std::string> rendezvous;      // "host[:port]" of the rendezvous server; "": none
        Setting<std::string> rendezvous_key;  // its key in hex; "": pinned on first use
        Setting<int64_t> resume_window;       // seconds a session whose path dropped may resume; 0: never
    } network;
    struct Server {                             // `tether serve` (docs/deployment.md)
        Setting<std::string> rendezvous_listen;  // TCP and UDP
        Setting<std::string> nat_test_listen;    // UDP: Bindings only, to tell how a NAT maps
        Setting<std::string> relay_listen;
        Setting<std::string> metrics_listen;     // "": no /metrics
        Names relays;                            // assigned to sessions; ":PORT": this machine
        Setting<std::string> relay_secret_file;  // shared by a rendezvous server and its relays
        Setting<std::string> announce_to;        // --relay-only: the rendezvous server to announce to
        Setting<std::string> relay_address;      // --relay-only: the address peers dial
        Setting<std::string> rendezvous_key;     // --relay-only: the key that signs relay tokens
        Setting<int64_t> relay_session_kbps;     // 0: no cap
        Setting<int64_t> relay_total_kbps;       // 0: no cap
        Setting<int64_t> websocket_port;         // /rendezvous and /relay over WebSocket; 0: none
    } server;
    struct Services {
        Names plugins;  // services a host runs, when they probe ok; may be empty
    } services;
    // `[plugins.<factory>] key = value`: settings each factory checks itself
    // (ABI 1.3); values are kept as text, as plugins receive them.
    struct PluginTable {
        Source source;  // the table's first appearance
        std::map<std::string, Setting<std::string>> values;
    };
    std::map<std::string, PluginTable> plugins;
    struct Security {
        Setting<int64_t> login_timeout;  // seconds
        Setting<int64_t> pending_logins;
        Setting<int64_t> pending_logins_per_source;
        Setting<int64_t> max_sessions;  // logged in at once
        Setting<int64_t> confirm_timeout;  // seconds
    } security;
};

// what() is "<source>: <message>", e.g. "/etc/x.toml:3:1: unknown key 'capture.widht' ...".
class ConfigError : public std::runtime_error {
public:
    ConfigError(const Source& source, const std::string& message);
    const Source& source() const { return source_; }

private:
    Source source_;
};

// Where the file layers come from; the defaults read the real system and user paths.
struct ConfigFiles {
    std::filesystem::path system = "/etc/tether/tether.toml";
    std::filesystem::path user;                          // empty: user_config_path()
    std::optional<std::filesystem::path> explicit_file;  // --config; must exist
};

// $XDG_CONFIG_HOME/tether/tether.toml, else ~/.config/tether/tether.toml;
// empty when neither variable gives an absolute folder.
std::filesystem::path user_config_path();

// Every key at its built-in default, with source "built-in".
Config default_config();

// Defaults overridden by each existing file layer in turn. Throws ConfigError.
Config load_config(const ConfigFiles& files = {});

// Sets one key from a command-line flag (the top layer). Integers are decimal,
// lists are comma-separated. Validated like a file value; throws ConfigError.
void set_from_command_line(Config& config, std::string_view key, std::string_view value);

// Checks every plugin name a user set (built-in defaults are exempt, so a
// minimal build still starts) against the factories that loaded;
// names_of_kind(kind) returns the factory names of that kind.
void validate_plugin_names(const Config& config,
                           const std::function<std::vector<std::string>(tether_kind)>& names_of_kind);

}  // namespace tether
