#include "bench_rounds.h"

namespace tether::cli {

std::filesystem::path sibling_binary(const std::string& name) {
    return std::filesystem::read_symlink("/proc/self/exe").parent_path() / name;
}

std::pair<nlohmann::json, nlohmann::json> cheapest_of_alternating(uint32_t rounds, const std::function<nlohmann::json()>& a,
                                                                  const std::function<nlohmann::json()>& b,
                                                                  const std::string& cost_key) {
    nlohmann::json best_a;
    nlohmann::json best_b;
    auto keep = [&](nlohmann::json& best, nlohmann::json run) {
        if (best.is_null() || run[cost_key].get<double>() < best[cost_key].get<double>()) best = std::move(run);
    };
    for (uint32_t round = 0; round < rounds; ++round) {
        keep(best_a, a());
        keep(best_b, b());
    }
    return {best_a, best_b};
}

}  // namespace tether::cli
