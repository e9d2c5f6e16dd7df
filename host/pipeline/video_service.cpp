#include "video_service.h"

#include "core/host_api.h"
#include "core/message_text.h"
#include "patch/screen_patch.h"
#include "picture_scaler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace tether {
namespace {

using namespace std::chrono_literals;
constexpr auto kPoll = 50ms;
constexpr auto kHeldPoll = 5ms;  // a held feed's look for its release
constexpr auto kFirstPictureWithin = 5s;
constexpr auto kMonitorsListedEvery = 1s;
// A resumed session's keyframe waits only this long after the last one: its
// viewer sees nothing until it comes, and a resume costs a ticket and a handshake.
constexpr auto kAtOnceKeyframeGap = 100ms;
// An encoder that fails a picture is made again; failing more often than this is the video's end.
constexpr size_t kMostRestarts = 3;
constexpr auto kRestartsCounted = 10s;
constexpr size_t kMostMonitors = 16;
// Patched rectangles the encoder owes before a change must go as a picture (which codes them all).
constexpr size_t kMostPatchedOwed = 256;
// An encoder that cannot change its rate in place is made again for a new one at most this often,
// and only for a change of a quarter or more.
constexpr auto kRemadeForRateEvery = 5s;

}  // namespace

VideoService::VideoService(Bus& bus, VideoServiceOptions options)
    : options_(std::move(options)), raw_topic_(bus.topic<VideoFrame>("video.raw." + options_.display)) {
    auto& capture_config = options_.capture_config;
    capture_config.struct_size = sizeof(tether_capture_config);
    capture_config.source = options_.capture_source.empty() ? nullptr : options_.capture_source.c_str();
    capture_ = std::make_unique<CaptureSource>(*options_.capture, capture_config);
    first_frame_ = first_picture();
    list_monitors();

    std::vector<const Factory*> encoders{options_.encoder};
    encoders.insert(encoders.end(), options_.other_encoders.begin(), options_.other_encoders.end());
    for (const Factory* factory : encoders) {
        const std::string codec = factory->table<tether_encoder_vtable>().codec;
        if (std::find(codecs_.begin(), codecs_.end(), codec) != codecs_.end()) continue;  // the first of a codec serves it
        codecs_.push_back(codec);
        for (const Feed feed : {Feed::Main, Feed::Constrained}) {
            auto lane = std::make_unique<Lane>();
            lane->factory = factory;
            lane->codec = codec;
            lane->role = feed;
            lane->topic = bus.topic<EncodedPacket>("video.encoded." + options_.display + "." + codec +
                                                   (feed == Feed::Constrained ? ".constrained" : ""));
            lanes_.push_back(std::move(lane));
        }
    }
    // The first encoder is made now, so that a setting it refuses fails the host at once.
    Lane& first = *lanes_.front();
    make_encoder(first, config_for(first, first_frame_->width(), first_frame_->height()));
    first.feed = raw_topic_->subscribe(Delivery::latest());
}

// The first picture tells the encoder the size; a capturer may have nothing
// new for a moment when it starts.
std::optional<VideoFrame> VideoService::first_picture() {
    const auto deadline = std::chrono::steady_clock::now() + kFirstPictureWithin;
    for (;;) {
        if (auto frame = capture_->grab()) return frame;
        if (capture_->ended()) throw PluginError("capture source ended before its first picture");
        if (std::chrono::steady_clock::now() >= deadline)
            throw PluginError("capture source delivered no picture within " + duration_text(kFirstPictureWithin));
        std::this_thread::sleep_for(kPoll / 5);
    }
}

tether_encoder_config VideoService::config_for(const Lane& lane, uint32_t width, uint32_t height) const {
    tether_encoder_config config = options_.encoder_config;
    config.struct_size = sizeof(tether_encoder_config);
    config.width = width;
    config.height = height;
    if (const uint32_t kbps = lane.bitrate_wanted) config.bitrate_kbps = kbps;
    if (const uint32_t fps = lane.fps_wanted) config.fps = fps;
    return config;
}

void VideoService::make_encoder(Lane& lane, const tether_encoder_config& config) {
    lane.encoder.reset();  // one encoder's memory at a time
    lane.encoder = std::make_unique<Encoder>(*lane.factory, config);
    lane.config = config;
    lane.made_at = std::chrono::steady_clock::now();
    ++encoders_made_;
    width_ = config.width;
    height_ = config.height;
}

bool VideoService::fit_encoder(Lane& lane, const tether_encoder_config& config) {
    const tether_encoder_config& now = lane.config;
    const bool new_size = config.width != now.width || config.height != now.height;
    if (lane.encoder && !new_size && config.bitrate_kbps == now.bitrate_kbps && config.fps == now.fps) return false;
    if (!lane.encoder) {
        spdlog::info("video: {} starts for the sessions that decode {}", lane.factory->name, lane.codec);
    } else {
        if (new_size) {
            spdlog::info("video: the picture changed size from {}x{} to {}x{}; encoding {} at the new size", now.width,
                         now.height, config.width, config.height, lane.codec);
            ++resizes_;
        }
        if (lane.encoder->reconfigure(config)) {
            lane.config = config;
            width_ = config.width;
            height_ = config.height;
            ++reconfigured_;
            return true;
        }
        // An encoder that cannot change its rate in place is made again for it now and then:
        // each new one starts with a keyframe, which costs every session.
        const bool worth_it = std::chrono::steady_clock::now() - lane.made_at >= kRemadeForRateEvery &&
                              std::max(config.bitrate_kbps, now.bitrate_kbps) * 4 >=
                                  std::min(config.bitrate_kbps, now.bitrate_kbps) * 5;
        if (!new_size && !worth_it) return false;
    }
    make_encoder(lane, config);  // a new encoder starts with a keyframe, which every session can join at
    return true;
}

congestion::RateController VideoService::rate_controller() const {
    return congestion::RateController(options_.preset, options_.encoder_config.bitrate_kbps,
                                      options_.capture_config.fps, width_, height_, can_scale_pictures());
}

Feed VideoService::want(uint64_t session, const std::string& codec, const congestion::RateTarget& target) {
    if (!options_.adapt_rate) return Feed::Main;
    std::lock_guard lock(wishes_mutex_);
    Wish& wish = wishes_[session];
    const std::string left = std::exchange(wish.codec, codec);
    if (left != codec) wish.feed = Feed::Main;
    wish.target = target;
    if (!left.empty() && left != codec) share_out(left);
    share_out(codec);
    return wish.feed;
}

void VideoService::forget(uint64_t session) {
    std::lock_guard lock(wishes_mutex_);
    const auto found = wishes_.find(session);
    if (found == wishes_.end()) return;
    const std::string codec = found->second.codec;
    wishes_.erase(found);
    share_out(codec);
}

void VideoService::hold(uint64_t session, bool held) {
    if (!options_.adapt_rate) return;
    std::lock_guard lock(wishes_mutex_);
    const auto found = wishes_.find(session);
    if (found == wishes_.end() || found->second.held == held) return;
    found->second.held = held;
    share_out(found->second.codec);
}

void VideoService::share_out(const std::string& codec) {
    uint32_t fastest = 0;
    for (const auto& [id, wish] : wishes_)
        if (wish.codec == codec) fastest = std::max(fastest, wish.target.bitrate_kbps);
    // A session leaves the main feed well below the fastest and comes back near it,
    // not on every wobble: each move costs it a keyframe.
    for (auto& [id, wish] : wishes_) {
        if (wish.codec != codec) continue;
        const uint64_t kbps = wish.target.bitrate_kbps;
        if (wish.feed == Feed::Main && kbps * 10 < fastest * 7ull) wish.feed = Feed::Constrained;
        if (wish.feed == Feed::Constrained && kbps * 100 >= fastest * 85ull) wish.feed = Feed::Main;
    }
    for (const Feed feed : {Feed::Main, Feed::Constrained}) {
        uint32_t kbps = 0, fps = 0, divisor = 1;
        size_t sessions = 0, holding = 0;
        for (const auto& [id, wish] : wishes_) {
            if (wish.codec != codec || wish.feed != feed) continue;
            kbps = kbps == 0 ? wish.target.bitrate_kbps : std::min(kbps, wish.target.bitrate_kbps);
            fps = fps == 0 ? wish.target.fps : std::min(fps, wish.target.fps);
            divisor = std::max(divisor, wish.target.scale_divisor);
            ++sessions;
            holding += wish.held;
        }
        Lane& lane = lane_of(codec, feed);
        lane.bitrate_wanted = kbps;
        lane.fps_wanted = fps < options_.capture_config.fps ? fps : 0;  // the capture's own rate paces itself
        lane.divisor_wanted = divisor;
        // A session moved off this feed watches it until its stream loop hears of the move:
        // while it does, the feed is not held (its pictures would stop for that session too).
        lane.held = sessions > 0 && holding == sessions && holding >= lane.topic->subscriber_count();
    }
}

VideoService::~VideoService() { stop(); }

void VideoService::start() {
    {
        std::lock_guard lock(lanes_mutex_);
        running_ = true;
        lanes_.front()->wanted = true;  // the first encoder runs from the start, as the source's pace-setter
        for (const auto& lane : lanes_)
            if (lane->wanted) start_lane(*lane);
    }
    capture_thread_ = std::thread([this] { capture_loop(); });
}

void VideoService::start_lane(Lane& lane) {
    if (lane.thread.joinable()) return;
    if (!lane.feed) lane.feed = raw_topic_->subscribe(Delivery::latest());
    lane.thread = std::thread([this, &lane] { encode_loop(lane); });
}

void VideoService::stop() {
    {
        std::lock_guard lock(lanes_mutex_);
        running_ = false;
    }
    if (capture_thread_.joinable()) capture_thread_.join();
    for (const auto& lane : lanes_) {
        if (lane->feed) lane->feed->close();
        if (lane->thread.joinable()) lane->thread.join();
    }
}

VideoService::Lane& VideoService::lane_of(const std::string& codec, Feed feed) const {
    for (const auto& lane : lanes_)
        if (lane->codec == codec && lane->role == feed) return *lane;
    throw PluginError("this host sends no " + codec);
}

bool VideoService::usable(const std::string& codec) const {
    return std::any_of(lanes_.begin(), lanes_.end(), [&](const auto& lane) { return lane->codec == codec && !lane->failed; });
}

std::optional<std::string> VideoService::codec_for(const std::vector<std::string>& decoders) const {
    for (const auto& codec : codecs_)
        if (usable(codec) && std::find(decoders.begin(), decoders.end(), codec) != decoders.end()) return codec;
    return std::nullopt;
}

std::shared_ptr<Subscription<EncodedPacket>> VideoService::subscribe(const std::string& codec, Delivery delivery,
                                                                     Subscription<EncodedPacket>::SkipFn on_skip,
                                                                     Feed feed) {
    Lane& lane = lane_of(codec, feed);
    auto subscription = lane.topic->subscribe(delivery, std::move(on_skip));
    request_keyframe(codec, false, feed);
    std::lock_guard lock(lanes_mutex_);
    lane.wanted = true;
    if (running_) start_lane(lane);
    return subscription;
}

void VideoService::request_keyframe(const std::string& codec, bool at_once, Feed feed) {
    Lane& lane = lane_of(codec, feed);
    lane.looks_at_request = looks_.load();
    (at_once ? lane.keyframe_at_once : lane.keyframe_requested) = true;
}

bool VideoService::watched() const {
    return std::any_of(lanes_.begin(), lanes_.end(), [](const auto& lane) { return lane->topic->subscriber_count() > 0; });
}

VideoCounters VideoService::counters() const {
    uint64_t skipped = 0;
    {
        std::lock_guard lock(lanes_mutex_);
        for (const auto& lane : lanes_)
            if (lane->feed) skipped += lane->feed->skipped();
    }
    return VideoCounters{captured_,        encoded_,          skipped,           paced_,   bytes_encoded_,
                         late_ticks_,      unchanged_,        resizes_,          reconfigured_, encoders_made_,
                         unwatched_ticks_, encoders_stopped_, encoder_restarts_, patches_,      bytes_patched_,
                         codecs_lost_};
}

std::string VideoService::error() const {
    std::lock_guard lock(error_mutex_);
    return error_;
}

void VideoService::fail(const std::string& what) {
    spdlog::error("video: {}", what);
    {
        std::lock_guard lock(error_mutex_);
        if (error_.empty()) error_ = what;
    }
    if (options_.on_change) options_.on_change();
}

void VideoService::lose_codec(const Lane& lane, const std::string& why) {
    for (const auto& each : lanes_)
        if (each->codec == lane.codec) each->failed = true;
    const bool others = std::any_of(lanes_.begin(), lanes_.end(), [](const auto& each) { return !each->failed; });
    if (!others || options_.pacing == Pacing::Lockstep) return fail(lane.codec + ": " + why);
    spdlog::error("video: {}: {}; its sessions move to another codec", lane.codec, why);
    ++codecs_lost_;
}

void VideoService::capture_loop() {
    const auto period = std::chrono::microseconds(1'000'000 / std::max<uint32_t>(1, options_.capture_config.fps));
    auto next_tick = std::chrono::steady_clock::now();
    auto& paced_by = *lanes_.front()->feed;
    try {
        while (running_) {
            if (options_.pacing != Pacing::Lockstep) {
                if (!wait_for_change(next_tick, period)) {
                    ++looks_;  // a period without a change
                    continue;
                }
            } else if (!paced_by.wait_empty(kPoll)) {
                continue;
            }
            // Nobody watching: nothing is grabbed or encoded, so an idle host costs next to nothing.
            if (!watched()) {
                ++unwatched_ticks_;
                if (options_.pacing == Pacing::Lockstep) std::this_thread::sleep_for(period);
                continue;
            }
            std::optional<VideoFrame> frame = grab_current();
            if (!frame) {
                if (capture_->ended()) break;
                // Nothing new: nothing to encode or send until the picture changes.
                ++unchanged_;
                ++looks_;
                if (options_.pacing == Pacing::Lockstep) std::this_thread::sleep_for(period);
                continue;
            }
            ++captured_;
            raw_topic_->publish(*frame);
            ++looks_;  // after the picture is on its way: a look counts once its picture is there
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
    source_ended_ = true;
}

std::optional<VideoFrame> VideoService::grab_current() {
    if (!first_frame_) return capture_->grab();
    std::optional<VideoFrame> first = std::exchange(first_frame_, std::nullopt);
    if (options_.pacing == Pacing::Lockstep) return first;  // a file's first picture: none may be skipped
    // The picture grabbed up front, for its size, may be as old as the host: a newer one replaces it,
    // and where the screen has not changed since, it is what the screen shows now.
    if (auto newer = capture_->grab()) return newer;
    first->raw.capture_time_us = now_us();
    return first;
}

bool VideoService::wait_for_change(std::chrono::steady_clock::time_point& next_tick, std::chrono::microseconds period) {
    std::this_thread::sleep_until(next_tick);
    if (options_.pacing == Pacing::FixedTick || !capture_->can_wait()) {
        next_tick += period;
        // A missed slot is skipped, never made up with a burst.
        if (const auto now = std::chrono::steady_clock::now(); now > next_tick) {
            late_ticks_ += static_cast<uint64_t>((now - next_tick) / period) + 1;
            next_tick = now + period;
        }
        if (watched()) look_around();
        return true;
    }
    if (!watched()) {
        next_tick = std::chrono::steady_clock::now() + period;
        return true;  // counted as unwatched by the caller
    }
    // The wait's timeout is the cursor's pace: the pointer moves without changing the picture.
    look_around();
    if (!first_frame_ && !capture_->wait(std::chrono::duration_cast<std::chrono::milliseconds>(period))) return false;
    next_tick = std::chrono::steady_clock::now() + period;
    return true;
}

void VideoService::look_around() {
    publish_cursor();
    if (std::chrono::steady_clock::now() - monitors_listed_ >= kMonitorsListedEvery) list_monitors();
}

void VideoService::list_monitors() {
    monitors_listed_ = std::chrono::steady_clock::now();
    std::vector<CaptureSource::Monitor> list = capture_->monitors(kMostMonitors);
    std::lock_guard lock(monitors_mutex_);
    const auto same = [](const CaptureSource::Monitor& a, const CaptureSource::Monitor& b) {
        return same_rect(a.area, b.area) && a.primary == b.primary && a.name == b.name;
    };
    if (std::equal(list.begin(), list.end(), monitors_.list.begin(), monitors_.list.end(), same)) return;
    monitors_.list = std::move(list);
    monitors_version_ = ++monitors_.version;
}

VideoService::Monitors VideoService::monitors() const {
    std::lock_guard lock(monitors_mutex_);
    return monitors_;
}

void VideoService::publish_cursor() {
    std::optional<CaptureSource::Cursor> cursor = capture_->cursor();
    if (!cursor) return;
    if (cursor->image)
        cursor_shape_ = std::make_shared<const CursorShape>(CursorShape{cursor->shape_serial, cursor->width, cursor->height,
                                                                        cursor->hot_x, cursor->hot_y, *cursor->image});
    cursor_.publish(CursorState{cursor->x, cursor->y, cursor->visible, cursor_shape_});
}

void VideoService::encode_loop(Lane& lane) {
    const bool first = &lane == lanes_.front().get();
    auto last_keyframe = std::chrono::steady_clock::time_point{};
    // A picture's damage is what changed since the one before; after a picture this
    // encoder never saw, all of the next one counts as changed.
    uint64_t skipped_seen = 0;
    bool missed = false;
    std::vector<std::chrono::steady_clock::time_point> restarts;  // of this lane's encoder, lately
    // At a frame rate lower than the capture's, a picture before its slot waits for it, and a newer one replaces it.
    std::optional<VideoFrame> held;
    auto next_slot = std::chrono::steady_clock::time_point{};
    const auto keyframe_due = [&](std::chrono::steady_clock::time_point now) {
        const auto since = now - last_keyframe;
        return (lane.keyframe_requested && since >= options_.keyframe_interval) ||
               (lane.keyframe_at_once && since >= kAtOnceKeyframeGap);
    };
    try {
        for (;;) {
            const auto until_slot = std::chrono::duration_cast<std::chrono::milliseconds>(
                next_slot - std::chrono::steady_clock::now() + 1ms);
            // A held feed looks again soon: once its sessions let it go, the picture held goes at once.
            const auto wait = !held ? kPoll : lane.held ? kHeldPoll : std::clamp(until_slot, 0ms, kPoll);
            std::optional<VideoFrame> frame = lane.feed->next(wait);
            if (held) {
                if (frame) {
                    frame->forget_damage();  // it follows one that was never coded
                    held.reset();
                    ++paced_;
                } else if (!lane.held && std::chrono::steady_clock::now() >= next_slot) {
                    frame = std::exchange(held, std::nullopt);
                } else if (!running_) {
                    break;  // a held feed stops too: its sessions may hold it to the end
                } else {
                    continue;
                }
            }
            // A codec no session decodes any more gives its encoder's memory and threads back,
            // also when nobody watches at all and no picture comes.
            if (!first && lane.encoder && lane.topic->subscriber_count() == 0) {
                spdlog::info("video: {} stops: no session decodes {} now", lane.factory->name, lane.codec);
                lane.encoder.reset();
                ++encoders_stopped_;
            }
            if (!frame) {
                if (!running_) break;
                if (!source_ended_) {
                    // A session waits for a keyframe and the screen does not change: its last picture again,
                    // as new as the capture's look since the request (it may have looked at nothing for a while).
                    if (!lane.last || !keyframe_due(std::chrono::steady_clock::now()) || looks_ <= lane.looks_at_request)
                        continue;
                    frame = lane.last;
                    frame->forget_damage();
                    frame->raw.capture_time_us = now_us();
                } else {
                    // The source ended: encode what it published last, then finish.
                    frame = lane.feed->next(0ms);
                    if (!frame) break;
                }
            }
            lane.last = frame;
            if (lane.topic->subscriber_count() == 0) {  // another codec's sessions are watching
                missed = true;
                continue;
            }
            if (const uint64_t skipped = lane.feed->skipped(); missed || skipped != skipped_seen) {
                frame->forget_damage();
                skipped_seen = skipped;
                missed = false;
            }
            // A thin path's sessions get the picture smaller: its encoder codes that size.
            const uint32_t divisor = lane.divisor_wanted;
            const auto [width, height] = scaled_size(frame->width(), frame->height(), divisor);
            // Patches paint on what the viewer shows: never the first picture of an encoder or a size.
            const bool shown_before = lane.encoder && width == lane.config.width && height == lane.config.height;
            const bool resized = lane.encoder && !shown_before;
            fit_encoder(lane, config_for(lane, width, height));
            const auto now = std::chrono::steady_clock::now();
            // A new size starts with a keyframe whatever the encoder could do without: every decoder follows it.
            const bool keyframe = keyframe_due(now) || resized;
            // Its sessions' queues hold even a keyframe back: it would wait behind them.
            if (lane.held || (lane.fps_wanted != 0 && !keyframe && now < next_slot)) {
                held = std::move(frame);
                continue;
            }
            if (const uint32_t fps = lane.fps_wanted; fps != 0) next_slot = now + std::chrono::microseconds(1'000'000 / fps);
            if (keyframe) lane.keyframe_requested = lane.keyframe_at_once = false;  // this one serves them all
            // Patches are the screen's own pixels: a smaller picture has none.
            if (!keyframe && shown_before && divisor == 1 && send_as_patch(lane, *frame)) continue;
            frame->add_damage(lane.patched);
            lane.patched.clear();
            const uint32_t screen_width = frame->width(), screen_height = frame->height();
            if (width != screen_width || height != screen_height) frame = scaled(*frame, width, height);
            try {
                lane.encoder->encode(*frame, keyframe, [&](EncodedPacket packet) {
                    if (packet.keyframe()) last_keyframe = now;
                    packet.screen_width = screen_width;
                    packet.screen_height = screen_height;
                    bytes_encoded_ += packet.data.size();
                    lane.topic->publish(packet);
                });
            } catch (const PluginError& e) {
                // One failed picture costs the encoder, not the video: a new one starts with a keyframe.
                std::erase_if(restarts, [&](auto at) { return now - at > kRestartsCounted; });
                if (restarts.size() >= kMostRestarts) throw;
                restarts.push_back(now);
                spdlog::warn("video: {} failed a picture ({}); starting it again", lane.factory->name, e.what());
                lane.encoder.reset();
                missed = true;  // the next picture's damage is from one that was never coded
                ++encoder_restarts_;
                continue;
            }
            ++encoded_;
        }
    } catch (const std::exception& e) {
        lose_codec(lane, e.what());
    }
    if (first) finished_ = source_ended_.load();
    if (first && finished_ && options_.on_change) options_.on_change();
}

bool VideoService::send_as_patch(Lane& lane, const VideoFrame& frame) {
    if (!frame.damage || lane.patched.size() >= kMostPatchedOwed) return false;
    std::optional<patch::Patch> patch = patch::make(frame.raw, *frame.damage);
    if (!patch) return false;
    // A terminal scrolling patches the same rectangle every time: it is owed once.
    for (const tether_rect& r : patch->rects)
        if (std::none_of(lane.patched.begin(), lane.patched.end(), [&](const tether_rect& owed) { return same_rect(owed, r); }))
            lane.patched.push_back(r);
    EncodedPacket packet;
    packet.data = BufferRef::copy_of(patch->bytes);
    packet.patch = true;
    packet.frame_number = frame.raw.frame_number;
    packet.capture_time_us = frame.raw.capture_time_us;
    packet.width = frame.width();
    packet.height = frame.height();
    ++patches_;
    bytes_patched_ += patch->bytes.size();
    lane.topic->publish(packet);
    return true;
}

}  // namespace tether
