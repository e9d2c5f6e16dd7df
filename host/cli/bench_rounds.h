// Side-by-side measurements on a shared, noisy machine: two runs alternate
// round after round, and each keeps its cheapest result, since other load
// only ever adds to what a run costs.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>

namespace tether::cli {

// A benchmark program built beside this tether binary (tether-bench-*).
std::filesystem::path sibling_binary(const std::string& name);

std::pair<nlohmann::json, nlohmann::json> cheapest_of_alternating(uint32_t rounds, const std::function<nlohmann::json()>& a,
                                                                  const std::function<nlohmann::json()>& b,
                                                                  const std::string& cost_key);

}  // namespace tether::cli
