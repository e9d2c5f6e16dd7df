// `tether demo`: a host and a headless viewer on loopback, then a summary.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_demo_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
