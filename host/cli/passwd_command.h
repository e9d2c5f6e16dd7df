// `tether passwd`: sets or clears the permanent password viewers may log in with.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_passwd_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
