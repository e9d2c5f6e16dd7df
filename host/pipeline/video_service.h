// One display's video: a capture thread publishes raw frames, one encoder
// thread encodes them once for every session that watches (DESIGN.md §4).
//
//   capture thread --video.raw.<display>--> encoder thread --video.encoded.<display>--> sessions
//
// The raw topic is latest-frame-wins: if the encoder falls behind, the
// newest picture is the one encoded and the skip is counted.
#pragma once

#include "core/bus.h"
#include "core/media.h"
#include "core/plugin_objects.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace tether {

enum class Pacing {
    RealTime,  // grab at the configured frame rate, as a live desktop would
    Lockstep,  // grab the next frame as soon as the encoder took the last (benchmarks: no frame is skipped)
};

struct VideoServiceOptions {
    const Factory* capture = nullptr;
    tether_capture_config capture_config{};
    std::string capture_source;  // kept alive for capture_config.source
    const Factory* encoder = nullptr;
    tether_encoder_config encoder_config{};  // width and height come from the first captured frame
    Pacing pacing = Pacing::RealTime;
    std::string display = "0";
    // However many sessions ask, keyframes come at most this often: each one
    // costs every session several ordinary pictures' worth of bandwidth.
    std::chrono::milliseconds keyframe_interval{1000};
};

struct VideoCounters {
    uint64_t captured = 0;
    uint64_t encoded = 0;
    uint64_t skipped_before_encode = 0;  // raw frames the encoder never saw
    uint64_t bytes_encoded = 0;
    uint64_t late_ticks = 0;  // capture ticks that missed their slot
    uint64_t unchanged = 0;   // grabs that found nothing new to encode
    uint64_t resizes = 0;     // pictures that came at a new size (a new encoder each)
    uint64_t unwatched_ticks = 0;  // capture ticks skipped because no session watched
};

class VideoService {
public:
    VideoService(Bus& bus, VideoServiceOptions options);
    ~VideoService();
    VideoService(const VideoService&) = delete;
    VideoService& operator=(const VideoService&) = delete;

    void start();
    void stop();

    // A session's feed of encoded pictures; a keyframe is asked for it.
    std::shared_ptr<Subscription<EncodedPacket>> subscribe(Delivery delivery,
                                                           Subscription<EncodedPacket>::SkipFn on_skip = {});
    // The next keyframe comes with the next picture, or once keyframe_interval
    // has passed since the last one.
    void request_keyframe() { keyframe_requested_ = true; }

    const std::string& codec() const { return codec_; }
    uint32_t width() const { return width_; }  // of the pictures encoded now
    uint32_t height() const { return height_; }
    VideoCounters counters() const;
    bool finished() const { return finished_; }  // a finite source ended and its last frame is encoded
    std::string error() const;  // why a thread stopped early, if it did

private:
    void capture_loop();
    void encode_loop();
    void fail(const std::string& what);
    std::optional<VideoFrame> first_picture();
    // An encoder for pictures of this size; width() and height() follow.
    std::unique_ptr<Encoder> make_encoder(uint32_t width, uint32_t height);

    VideoServiceOptions options_;
    std::unique_ptr<CaptureSource> capture_;
    std::optional<VideoFrame> first_frame_;  // grabbed up front: it tells the encoder the size
    std::unique_ptr<Encoder> encoder_;  // the encode thread's once started
    std::string codec_;
    std::atomic<uint32_t> width_{0};
    std::atomic<uint32_t> height_{0};
    std::shared_ptr<Topic<VideoFrame>> raw_topic_;
    std::shared_ptr<Topic<EncodedPacket>> encoded_topic_;
    std::shared_ptr<Subscription<VideoFrame>> encoder_feed_;

    std::atomic<bool> running_{false};
    std::atomic<bool> source_ended_{false};
    std::atomic<bool> finished_{false};
    std::atomic<bool> keyframe_requested_{true};
    std::atomic<uint64_t> captured_{0};
    std::atomic<uint64_t> encoded_{0};
    std::atomic<uint64_t> bytes_encoded_{0};
    std::atomic<uint64_t> late_ticks_{0};
    std::atomic<uint64_t> unchanged_{0};
    std::atomic<uint64_t> resizes_{0};
    std::atomic<uint64_t> unwatched_ticks_{0};
    std::string error_;
    mutable std::mutex error_mutex_;
    std::thread capture_thread_;
    std::thread encode_thread_;
};

}  // namespace tether
