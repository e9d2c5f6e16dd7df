// SIGINT and SIGTERM ask the running command to stop cleanly.
#pragma once

#include <chrono>

namespace tether::cli {

void install_stop_handlers();
bool stop_requested();
// Sleeps until the deadline or a stop request; true when the deadline came first.
bool sleep_unless_stopped(std::chrono::steady_clock::time_point deadline);

}  // namespace tether::cli
