// `tether bench login`: how long a user who knows the password takes to log
// in, alone and while strangers guess from many addresses, side by side.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_login_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
