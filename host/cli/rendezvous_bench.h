// `tether bench rendezvous`: registrations and lookups a second against an
// in-process rendezvous server, and its memory for 10,000 registered hosts.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_rendezvous_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
