#include "bitrate_search.h"

#include <cmath>

namespace tether::cli {
namespace {

constexpr double precision = 1.05;  // the search stops when high / low is below this

bool reaches(const nlohmann::json& run, double target_db) {
    return run["psnr"].get<double>() >= target_db;
}

}  // namespace

std::optional<RateForQuality> bitrate_for_psnr(double target_db, const std::function<nlohmann::json(uint32_t)>& run_at,
                                               uint32_t low_kbps, uint32_t high_kbps) {
    RateForQuality best{high_kbps, run_at(high_kbps)};
    if (!reaches(best.run, target_db)) return std::nullopt;
    uint32_t low = low_kbps;  // not known to reach it
    while (static_cast<double>(best.bitrate_kbps) / low > precision) {
        const auto middle = static_cast<uint32_t>(std::lround(std::sqrt(static_cast<double>(low) * best.bitrate_kbps)));
        if (middle <= low || middle >= best.bitrate_kbps) break;
        nlohmann::json run = run_at(middle);
        if (reaches(run, target_db))
            best = {middle, std::move(run)};
        else
            low = middle;
    }
    return best;
}

}  // namespace tether::cli
