// `tether serve`: the rendezvous server and the relay (docs/deployment.md).
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
