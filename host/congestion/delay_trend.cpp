#include "delay_trend.h"

#include <algorithm>

namespace tether::congestion {
namespace {

constexpr int64_t kWindowUs = 1'000'000;
constexpr size_t kMostSamples = 240;  // a second at 240 pictures a second
constexpr double kSmoothing = 0.2;  // of each new sample in the smoothed delay

}  // namespace

void DelayTrend::add(int64_t sent_us, int64_t arrived_us) {
    const int64_t delay = arrived_us - sent_us;
    window_.push_back({arrived_us, delay});
    while (window_.size() > kMostSamples || arrived_us - window_.front().arrived_us > kWindowUs) window_.pop_front();

    lowest_.add(arrived_us, delay);

    smoothed_us_ = have_smoothed_ ? smoothed_us_ + kSmoothing * (static_cast<double>(delay) - smoothed_us_)
                                  : static_cast<double>(delay);
    have_smoothed_ = true;
}

double DelayTrend::slope_ms_per_s() const {
    if (window_.size() < 3) return 0;
    // Least squares of delay over arrival time, both relative to the first sample so the sums stay small.
    const double t0 = static_cast<double>(window_.front().arrived_us);
    const double d0 = static_cast<double>(window_.front().delay_us);
    double st = 0, sd = 0, stt = 0, std_ = 0;
    for (const Sample& s : window_) {
        const double t = static_cast<double>(s.arrived_us) - t0;
        const double d = static_cast<double>(s.delay_us) - d0;
        st += t;
        sd += d;
        stt += t * t;
        std_ += t * d;
    }
    const double n = static_cast<double>(window_.size());
    const double spread = n * stt - st * st;
    if (spread <= 0) return 0;
    return (n * std_ - st * sd) / spread * 1000.0;  // µs per µs → ms per s
}

std::chrono::microseconds DelayTrend::queue_delay() const {
    const std::optional<int64_t> lowest = lowest_.lowest();
    if (!lowest) return std::chrono::microseconds(0);
    return std::chrono::microseconds(std::max<int64_t>(0, static_cast<int64_t>(smoothed_us_) - *lowest));
}

}  // namespace tether::congestion
