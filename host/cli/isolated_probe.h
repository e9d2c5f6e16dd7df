// Runs a factory's probe in a child process with a time limit, so a probe
// that crashes or hangs (a broken driver) becomes a result, not our crash.
#pragma once

#include "core/plugin_objects.h"

#include <chrono>

namespace tether::cli {

ProbeResult probe_isolated(const Factory& factory, std::chrono::milliseconds timeout);

}  // namespace tether::cli
