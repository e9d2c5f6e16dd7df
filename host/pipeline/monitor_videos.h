// The video of each monitor a session asked to see, beside the whole
// screen's: one VideoService per monitor, its capture limited to that
// monitor's area, made at the first ask and kept while the host runs (an
// unwatched one grabs and encodes nothing).
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
    ~MonitorVideos();
    MonitorVideos(const MonitorVideos&) = delete;
    MonitorVideos& operator=(const MonitorVideos&) = delete;

    // [thread-safe] The started video of `monitor` (1-based); PluginError when it cannot be made.
    VideoService& of(uint32_t monitor);

private:
    Bus& bus_;
    const VideoServiceOptions options_;
    std::mutex mutex_;
    std::map<uint32_t, std::unique_ptr<VideoService>> videos_;
};

}  // namespace tether
