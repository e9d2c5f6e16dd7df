#include "stats_overlay.h"

#include "viewer_window.h"

#include <algorithm>
#include <cstdio>

namespace tether::window {
namespace {

using namespace std::chrono_literals;

std::string format(const char* pattern, double a, double b = 0) {
    char text[96];
    std::snprintf(text, sizeof text, pattern, a, b);
    return text;
}

}  // namespace

void StatsOverlay::picture_shown(int64_t latency_us) {
    ++shown_;
    latency_sum_us_ += latency_us;
    latency_max_us_ = std::max(latency_max_us_, latency_us);
}

bool StatsOverlay::update(const session::ViewerReport& counters, uint64_t pictures_decoded) {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - since_).count();
    if (seconds < 1.0) return false;
    const double decoded_fps = static_cast<double>(pictures_decoded - decoded_at_start_) / seconds;
    const double shown_fps = static_cast<double>(shown_) / seconds;
    const double mbit_s = static_cast<double>(counters.bytes_received - bytes_at_start_) * 8 / seconds / 1e6;
    lines_ = {format("%.1f fps shown, %.1f decoded", shown_fps, decoded_fps),
              shown_ > 0 ? format("latency %.1f ms, at most %.1f ms", static_cast<double>(latency_sum_us_) / 1e3 / static_cast<double>(shown_),
                                  static_cast<double>(latency_max_us_) / 1e3)
                         : "latency: no new picture",
              format("%.2f Mbit/s", mbit_s),
              (counters.codec.empty() ? "codec: none yet" : counters.codec) + " " + std::to_string(counters.width) + "x" +
                  std::to_string(counters.height) + " over " + path_,
              std::string(kOverlayKeyName) + " hides this"};
    since_ = now;
    decoded_at_start_ = pictures_decoded;
    bytes_at_start_ = counters.bytes_received;
    shown_ = 0;
    latency_sum_us_ = 0;
    latency_max_us_ = 0;
    return true;
}

}  // namespace tether::window
