// The summary a viewer run reports (`tether demo`, `tether connect`).
#pragma once

#include "session/viewer.h"

#include <nlohmann/json.hpp>

namespace tether::cli {

// `seconds`: the run's wall time; `cpu_seconds`: this process over it.
nlohmann::json summarize_viewer(const session::ViewerReport& report, double seconds, double cpu_seconds);
void print_viewer_summary(const nlohmann::json& summary);

}  // namespace tether::cli
