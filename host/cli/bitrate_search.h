// The bitrate an encoder needs for a quality: for comparing two encoders at
// equal PSNR rather than at equal asked-for bitrate.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>

namespace tether::cli {

struct RateForQuality {
    uint32_t bitrate_kbps = 0;  // the rate asked of the encoder
    nlohmann::json run;         // the run at it, with its "psnr"
};

// The lowest bitrate in [low_kbps, high_kbps] whose run reaches `target_db`
// of "psnr", by bisection on a log scale to within about 5 %; nullopt when
// even `high_kbps` falls short. Assumes more bitrate never lowers the PSNR.
std::optional<RateForQuality> bitrate_for_psnr(double target_db, const std::function<nlohmann::json(uint32_t)>& run_at,
                                               uint32_t low_kbps, uint32_t high_kbps);

}  // namespace tether::cli
