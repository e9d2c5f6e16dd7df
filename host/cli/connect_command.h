// `tether connect`: a headless viewer of a remote host.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_connect_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
