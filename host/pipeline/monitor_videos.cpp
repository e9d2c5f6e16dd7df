#include "monitor_videos.h"

namespace tether {

MonitorVideos::MonitorVideos(Bus& bus, VideoServiceOptions options) : bus_(bus), options_(std::move(options)) {}

MonitorVideos::~MonitorVideos() {
    for (const auto& [monitor, video] : videos_) video->stop();
}

VideoService& MonitorVideos::of(uint32_t monitor) {
    std::lock_guard lock(mutex_);
    auto& video = videos_[monitor];
    if (!video) {
        VideoServiceOptions options = options_;
        options.capture_config.monitor = monitor;
        // Topics of its own: video.raw.<display>.monitor<n> and so on.
        options.display += ".monitor" + std::to_string(monitor);
        try {
            video = std::make_unique<VideoService>(bus_, std::move(options));
        } catch (...) {
            videos_.erase(monitor);
            throw;
        }
        video->start();
    }
    return *video;
}

}  // namespace tether
