// The video of each monitor a session asked to see, beside the whole
// screen's: one VideoService per monitor, its capture limited to that
// monitor's area, made at the first ask and shared by every session that
// shows the monitor; it goes (capture, encoder, threads) with the last one.
#pragma once

#include "video_service.h"

#include <map>
#include <memory>
#include <mutex>

namespace tether {

class MonitorVideos {
public:
    // `options`: the whole screen's; each monitor's video differs only in its monitor.
    MonitorVideos(Bus& bus, VideoServiceOptions options);
    MonitorVideos(const MonitorVideos&) = delete;
    MonitorVideos& operator=(const MonitorVideos&) = delete;

    // [thread-safe] The started video of `monitor` (1-based), for as long as the caller
    // holds it; PluginError when it cannot be made.
    std::shared_ptr<VideoService> of(uint32_t monitor);

private:
    Bus& bus_;
    const VideoServiceOptions options_;
    std::mutex mutex_;
    std::map<uint32_t, std::weak_ptr<VideoService>> videos_;
    uint64_t made_ = 0;  // each one's topics are its own, also beside one of the same monitor still stopping
};

}  // namespace tether
