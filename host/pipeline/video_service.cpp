#include "video_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace tether {
namespace {

using namespace std::chrono_literals;
constexpr auto kPoll = 50ms;
constexpr auto kFirstPictureWithin = 5s;

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
    first_frame_ = first_picture();
    encoder_ = make_encoder(first_frame_->width(), first_frame_->height());
    codec_ = encoder_->codec();
}

// The first picture tells the encoder the size; a capturer may have nothing
// new for a moment when it starts.
std::optional<VideoFrame> VideoService::first_picture() {
    const auto deadline = std::chrono::steady_clock::now() + kFirstPictureWithin;
    for (;;) {
        if (auto frame = capture_->grab()) return frame;
        if (capture_->ended()) throw PluginError("capture source ended before its first picture");
        if (std::chrono::steady_clock::now() >= deadline)
            throw PluginError("capture source delivered no picture within " +
                              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kFirstPictureWithin).count()) + " s");
        std::this_thread::sleep_for(kPoll / 5);
    }
}

std::unique_ptr<Encoder> VideoService::make_encoder(uint32_t width, uint32_t height) {
    auto& config = options_.encoder_config;
    config.struct_size = sizeof(tether_encoder_config);
    config.width = width;
    config.height = height;
    auto encoder = std::make_unique<Encoder>(*options_.encoder, config);
    width_ = width;
    height_ = height;
    return encoder;
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
    return VideoCounters{captured_, encoded_, encoder_feed_->skipped(), bytes_encoded_, late_ticks_, unchanged_, resizes_, unwatched_ticks_};
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
            // Nobody watching: nothing is grabbed or encoded, so an idle host costs next to nothing.
            if (encoded_topic_->subscriber_count() == 0) {
                ++unwatched_ticks_;
                if (options_.pacing == Pacing::Lockstep) std::this_thread::sleep_for(period);
                continue;
            }
            std::optional<VideoFrame> frame = first_frame_ ? std::exchange(first_frame_, std::nullopt) : capture_->grab();
            if (!frame) {
                if (capture_->ended()) break;
                // Nothing new: nothing to encode or send until the picture changes.
                ++unchanged_;
                if (options_.pacing == Pacing::Lockstep) std::this_thread::sleep_for(period);
                continue;
            }
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
            if (frame->width() != width_ || frame->height() != height_) {
                spdlog::info("video: the picture changed size from {}x{} to {}x{}; encoding at the new size",
                             width_.load(), height_.load(), frame->width(), frame->height());
                encoder_.reset();  // one encoder's memory at a time
                encoder_ = make_encoder(frame->width(), frame->height());
                ++resizes_;  // a new encoder starts with a keyframe, which every session can join at
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
