// Probes that never touch the host process: each runs in a child that execs
// `tether probe-plugin`, with a time limit, so a probe that crashes or hangs
// (a broken driver) becomes an answer, kept in a cache until the plugin file
// or its declared probe inputs change.
#pragma once

#include "core/plugin_chooser.h"

#include <chrono>
#include <filesystem>

namespace tether::cli {

// Runs the factory's probe in a child process; "crashed: <signal>" or
// "timed out after <time>" when it does not answer.
ProbeResult probe_in_child(const Factory& factory, std::chrono::milliseconds timeout);

// A prober for the chooser: the answer kept in `cache_file` while the plugin
// and its environment are unchanged, else a child's answer, then kept.
// `fresh` ignores what was kept (and replaces it).
Prober cached_child_prober(std::filesystem::path cache_file, std::chrono::milliseconds timeout, bool fresh);

}  // namespace tether::cli
