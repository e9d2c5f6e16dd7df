// The tether executable: one binary, one subcommand per job (DESIGN.md §2).
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration.
#include "bench_command.h"
#include "connect_command.h"
#include "context.h"
#include "core/config.h"
#include "core/logging.h"
#include "core/version.h"
#include "demo_command.h"
#include "host_command.h"
#include "id_command.h"
#include "passwd_command.h"
#include "serve_command.h"
#include "plugins_command.h"
#include "probe_plugin_command.h"
#include "session/protocol.h"
#include "stop_signal.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <iostream>

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace tether::cli;
    // glibc gives threads malloc arenas of their own, up to 8 a core, and keeps their memory
    // when the threads go: a host whose sessions, monitors and encoders come and go grew
    // 73 -> 523 MB that way (48 viewers: +163 MB; with 2 arenas flat, with 4 still growing).
    // Before any thread starts.
    mallopt(M_ARENA_MAX, 2);
    install_stop_handlers();  // before any thread starts, the logger's included
    tether::init_logging();
    tether::session::route_protobuf_logs();

    CLI::App app{"Tether: a self-hosted remote desktop built from plugins"};
    app.set_version_flag("--version", tether::kAppVersion);
    app.require_subcommand(1);
    GlobalOptions global;
    app.add_flag("-v,--verbose", global.verbosity, "More log detail (repeat for more)");
    app.add_option("--config", global.config_file, "Configuration file, over the system and user files")
        ->check(CLI::ExistingFile);
    app.add_option("--data-dir", global.data_dir,
                   "Folder for this installation's identity, pinned keys and passwords (default $XDG_DATA_HOME/tether)");
    app.add_flag("--json", global.json, "Print results as one JSON object on stdout");
    // Every subcommand takes the global options too, after its name.
    app.fallthrough();

    int exit_code = 0;
    add_demo_command(app, global, exit_code);
    add_plugins_command(app, global, exit_code);
    add_probe_plugin_command(app, global, exit_code);
    add_bench_command(app, global, exit_code);
    add_host_command(app, global, exit_code);
    add_connect_command(app, global, exit_code);
    add_id_command(app, global, exit_code);
    add_passwd_command(app, global, exit_code);
    add_serve_command(app, global, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : kExitUsage;
    } catch (const tether::ConfigError& e) {
        // Probes cut short by a stop leave nothing usable: that is the stop, not a configuration error.
        if (stop_requested()) {
            spdlog::info("stopped while starting");
            return 0;
        }
        spdlog::error("{}", e.what());
        return kExitUsage;
    } catch (const UsageError& e) {
        spdlog::error("{}", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return kExitFailure;
    }
    return exit_code;
}
