// `tether id`: this installation's peer ID and key fingerprint, creating the identity on first run.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_id_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
