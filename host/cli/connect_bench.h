// `tether bench connect`: how long `tether connect ID` takes from its start to
// the first decoded picture, through a rendezvous server, on loopback or, with
// --netsim, across the simulated internet (netsim_connect_bench.h).
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_connect_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
