#include "video_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace tether {
namespace {

using namespace std::chrono_literals;
constexpr auto kPoll = 50ms;

}  // namespace

VideoService::VideoService(Bus& bus, VideoServiceOptions options)
    : options_(std::move(options)),
      raw_topic_(bus.topic<VideoFrame>("video.raw." + options_.display)),
      encoded_topic_(bus.topic<EncodedPacket>("video.encoded." + options_.display)),
      encoder_feed_(raw_topic_->subscribe(Delivery::latest())) {
    auto& capture_config = options_.capture_config;
    capture_config.struct_size = sizeof(tether_capture_config);
    capture_config.source = options_.capture_source.empty() ? nullptr : options_.capture_source.c_str();
    capture_ = std::make_unique<CaptureSource>(*options_.capture, capture_config);
    first_frame_ = capture_->grab();
    if (!first_frame_) throw PluginError("capture source delivered no frame");
    width_ = first_frame_->width();
    height_ = first_frame_->height();
    auto& encoder_config = options_.encoder_config;
    encoder_config.struct_size = sizeof(tether_encoder_config);
    encoder_config.width = width_;
    encoder_config.height = height_;
    encoder_ = std::make_unique<Encoder>(*options_.encoder, encoder_config);
}

VideoService::~VideoService() { stop(); }

void VideoService::start() {
    running_ = true;
    encode_thread_ = std::thread([this] { encode_loop(); });
    capture_thread_ = std::thread([this] { capture_loop(); });
}

void VideoService::stop() {
    running_ = false;
    if (capture_thread_.joinable()) capture_thread_.join();
    encoder_feed_->close();
    if (encode_thread_.joinable()) encode_thread_.join();
}

std::shared_ptr<Subscription<EncodedPacket>> VideoService::subscribe(Delivery delivery,
                                                                     Subscription<EncodedPacket>::SkipFn on_skip) {
    auto subscription = encoded_topic_->subscribe(delivery, std::move(on_skip));
    request_keyframe();
    return subscription;
}

VideoCounters VideoService::counters() const {
    return VideoCounters{captured_, encoded_, encoder_feed_->skipped(), bytes_encoded_, late_ticks_};
}

std::string VideoService::error() const {
    std::lock_guard lock(error_mutex_);
    return error_;
}

void VideoService::fail(const std::string& what) {
    spdlog::error("video: {}", what);
    std::lock_guard lock(error_mutex_);
    if (error_.empty()) error_ = what;
}

void VideoService::capture_loop() {
    const auto period = std::chrono::microseconds(1'000'000 / std::max<uint32_t>(1, options_.capture_config.fps));
    auto next_tick = std::chrono::steady_clock::now();
    try {
        while (running_) {
            if (options_.pacing == Pacing::RealTime) {
                std::this_thread::sleep_until(next_tick);
                next_tick += period;
                // A missed slot is skipped, never made up with a burst.
                if (const auto now = std::chrono::steady_clock::now(); now > next_tick) {
                    late_ticks_ += static_cast<uint64_t>((now - next_tick) / period) + 1;
                    next_tick = now + period;
                }
            } else if (!encoder_feed_->wait_empty(kPoll)) {
                continue;
            }
            std::optional<VideoFrame> frame = first_frame_ ? std::exchange(first_frame_, std::nullopt) : capture_->grab();
            if (!frame) break;
            ++captured_;
            raw_topic_->publish(*frame);
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
    source_ended_ = true;
}

void VideoService::encode_loop() {
    auto last_keyframe = std::chrono::steady_clock::time_point{};
    try {
        for (;;) {
            std::optional<VideoFrame> frame = encoder_feed_->next(kPoll);
            if (!frame) {
                if (!running_) break;
                if (!source_ended_) continue;
                // The source ended: encode what it published last, then finish.
                frame = encoder_feed_->next(0ms);
                if (!frame) break;
            }
            const auto now = std::chrono::steady_clock::now();
            const bool keyframe = now - last_keyframe >= options_.keyframe_interval && keyframe_requested_.exchange(false);
            encoder_->encode(*frame, keyframe, [&](EncodedPacket packet) {
                if (packet.keyframe()) last_keyframe = now;
                bytes_encoded_ += packet.data.size();
                encoded_topic_->publish(packet);
            });
            ++encoded_;
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
    finished_ = source_ended_.load();
}

}  // namespace tether
