// `tether host`: share this machine with viewers that log in.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_host_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
