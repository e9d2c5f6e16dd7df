#include "monitor_videos.h"

namespace tether {

MonitorVideos::MonitorVideos(Bus& bus, VideoServiceOptions options) : bus_(bus), options_(std::move(options)) {}

std::shared_ptr<VideoService> MonitorVideos::of(uint32_t monitor) {
    std::lock_guard lock(mutex_);
    std::erase_if(videos_, [](const auto& entry) { return entry.second.expired(); });
    if (auto video = videos_[monitor].lock()) return video;
    VideoServiceOptions options = options_;
    options.capture_config.monitor = monitor;
    // Topics of its own: video.raw.<display>.monitor<n>.<made> and so on.
    options.display += ".monitor" + std::to_string(monitor) + "." + std::to_string(++made_);
    std::shared_ptr<VideoService> video;
    try {
        video = std::make_shared<VideoService>(bus_, std::move(options));
    } catch (...) {
        videos_.erase(monitor);
        throw;
    }
    video->start();
    videos_[monitor] = video;
    return video;
}

}  // namespace tether
