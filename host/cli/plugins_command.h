// `tether plugins`: what was found, what it offers, and whether it can run here.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_plugins_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
