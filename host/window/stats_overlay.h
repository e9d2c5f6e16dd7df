// The statistics overlay's lines, worked out once a second from what the
// window showed and the viewer counted: pictures per second, glass-to-glass
// latency, bitrate, codec, size and the path the pictures take.
#pragma once

#include "session/viewer.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tether::window {

class StatsOverlay {
public:
    explicit StatsOverlay(std::string path) : path_(std::move(path)) {}

    void picture_shown(int64_t latency_us);  // window thread, each picture it draws
    // The lines to show, new once a second; true when they changed.
    bool update(const session::ViewerReport& counters, uint64_t pictures_decoded);
    const std::vector<std::string>& lines() const { return lines_; }

private:
    std::string path_;
    std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
    uint64_t decoded_at_start_ = 0;
    uint64_t bytes_at_start_ = 0;
    uint64_t shown_ = 0;
    int64_t latency_sum_us_ = 0;
    int64_t latency_max_us_ = 0;
    std::vector<std::string> lines_{"statistics: measuring…"};
};

}  // namespace tether::window
