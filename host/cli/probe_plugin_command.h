// `tether probe-plugin FILE FACTORY`: runs one factory's probe and nothing
// else. The host runs it as a child, so that a probe that crashes or hangs
// never touches the host process.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_probe_plugin_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
