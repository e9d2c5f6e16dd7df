// One display's video: a capture thread publishes raw frames, and one encoder
// thread per codec in use encodes them once for every session of that codec
// (DESIGN.md §4).
//
//   capture thread --video.raw.<display>--> encoder thread per codec --video.encoded.<display>.<codec>--> sessions
//
// The host offers its encoders in its order of preference; a session takes
// the first whose codec its viewer decodes. The first encoder is made at
// once; another starts when the first session that needs it subscribes.
// The raw topic is latest-frame-wins: if an encoder falls behind, the newest
// picture is the one encoded and the skip is counted.
#pragma once

#include "congestion/rate_controller.h"
#include "core/bus.h"
#include "core/media.h"
#include "core/plugin_objects.h"
#include "cursor_feed.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether {

// Which of a codec's two feeds a session watches (docs/congestion.md): every
// session starts on the main one; one whose rate falls well below the fastest
// session's moves to the constrained one, a second encoder of the codec at its
// rate, so that the fast ones keep their quality.
enum class Feed { Main, Constrained };

enum class Pacing {
    // As a live desktop: a change is grabbed at once, at most at the frame rate, when the
    // capture says when it changes (ABI 1.4); otherwise on a tick at the frame rate.
    RealTime,
    FixedTick,  // on a tick at the frame rate whatever the capture can say (for comparison)
    Lockstep,  // grab the next frame as soon as the first encoder took the last (benchmarks: no frame is skipped)
};

struct VideoServiceOptions {
    const Factory* capture = nullptr;
    tether_capture_config capture_config{};
    std::string capture_source;  // kept alive for capture_config.source
    const Factory* encoder = nullptr;  // the host's first choice
    // Encoders of other codecs, in the host's order of preference after the
    // first, for viewers that cannot decode the first one's codec.
    std::vector<const Factory*> other_encoders;
    tether_encoder_config encoder_config{};  // width and height come from the captured pictures
    Pacing pacing = Pacing::RealTime;
    std::string display = "0";
    // However many sessions ask, keyframes come at most this often: each one
    // costs every session several ordinary pictures' worth of bandwidth.
    std::chrono::milliseconds keyframe_interval{1000};
    // The sessions' rate controllers (docs/congestion.md); without, every encoder
    // keeps encoder_config's rate (benchmarks that compare with a bare encoder).
    bool adapt_rate = true;
    congestion::Preset preset = congestion::Preset::Balanced;
    // Called when the service fails or its source has ended, on a service
    // thread; must not block (it wakes whoever waits on error() or finished()).
    std::function<void()> on_change;
};

struct VideoCounters {
    uint64_t captured = 0;
    uint64_t encoded = 0;                // by every encoder together
    uint64_t skipped_before_encode = 0;  // raw frames an encoder never saw
    uint64_t paced = 0;                  // pictures left out for a feed's lower frame rate
    uint64_t bytes_encoded = 0;
    uint64_t late_ticks = 0;       // capture ticks that missed their slot
    uint64_t unchanged = 0;        // grabs that found nothing new to encode
    uint64_t resizes = 0;          // pictures that came at a new size
    uint64_t reconfigured = 0;     // encoders changed in place (a size or a rate) instead of made again
    uint64_t encoders_made = 0;    // by every lane, the first included
    uint64_t unwatched_ticks = 0;  // capture ticks skipped because no session watched
    uint64_t encoders_stopped = 0; // encoders of a codec that no session decoded any more
    uint64_t encoder_restarts = 0; // encoders made again after one failed a picture
    uint64_t patches = 0;          // changes sent as screen patches, not pictures (by every lane)
    uint64_t bytes_patched = 0;    // their bytes before each session's compression
    uint64_t codecs_lost = 0;      // codecs whose encoder failed for good while others went on
};

class VideoService {
public:
    VideoService(Bus& bus, VideoServiceOptions options);
    ~VideoService();
    VideoService(const VideoService&) = delete;
    VideoService& operator=(const VideoService&) = delete;

    void start();
    void stop();

    // The codecs this host sends, in its order of preference.
    const std::vector<std::string>& codecs() const { return codecs_; }
    // False for a codec whose encoder failed for good (it kept failing, or cannot be made
    // again): its sessions move to another codec their viewer decodes.
    bool usable(const std::string& codec) const;
    // The first usable one of codecs() among `decoders`, or nullopt when there is none.
    std::optional<std::string> codec_for(const std::vector<std::string>& decoders) const;
    // A session's feed of `codec` pictures (one of codecs()); a keyframe is asked for it.
    std::shared_ptr<Subscription<EncodedPacket>> subscribe(const std::string& codec, Delivery delivery,
                                                           Subscription<EncodedPacket>::SkipFn on_skip = {},
                                                           Feed feed = Feed::Main);
    // The first codec's feed.
    std::shared_ptr<Subscription<EncodedPacket>> subscribe(Delivery delivery,
                                                           Subscription<EncodedPacket>::SkipFn on_skip = {}) {
        return subscribe(codec(), delivery, std::move(on_skip));
    }
    // The next `codec` keyframe comes with the next picture, or once
    // keyframe_interval has passed since that encoder's last one. `at_once`:
    // for a session that resumed on a new path and shows nothing until it
    // comes; only a keyframe in the last 100 ms holds it back.
    void request_keyframe(const std::string& codec, bool at_once = false, Feed feed = Feed::Main);
    // A rate controller for a session of this video: the host's preset, its ceiling
    // (encoder_config's bitrate; 0: the preset's), the capture's frame rate and size.
    congestion::RateController rate_controller() const;
    // What `session`, watching `codec`, can take now (its rate controller's target);
    // returns the feed it should watch. Each feed's encoder codes at the lowest rate
    // and frame rate its sessions can take, from its next picture; one that cannot
    // change in place (ABI 1.5) is made again for a new rate only now and then.
    Feed want(uint64_t session, const std::string& codec, const congestion::RateTarget& target);
    void forget(uint64_t session);  // the session ended
    // A session whose path holds a queue asks that nothing new be coded for it; a feed
    // codes nothing while every one of its sessions holds it, and its next picture after
    // follows its last (no keyframe: nothing was skipped).
    void hold(uint64_t session, bool held);
    // Whether `codec`'s `feed` codes nothing now: every one of its sessions holds it.
    bool held(const std::string& codec, Feed feed) const { return lane_of(codec, feed).held; }
    // The pointer, when the capture reports it apart from the picture (ABI 1.4).
    CursorFeed& cursor() { return cursor_; }
    // The source's monitors as the capture thread last listed them (at the start, then about
    // once a second while someone watches); `version` changes with the list. Empty: one.
    struct Monitors {
        uint64_t version = 0;
        std::vector<CaptureSource::Monitor> list;
    };
    Monitors monitors() const;
    uint64_t monitors_version() const { return monitors_version_; }  // cheap: the version monitors() would give

    const std::string& codec() const { return codecs_.front(); }  // the host's first choice
    uint32_t width() const { return width_; }                       // of the pictures encoded now
    uint32_t height() const { return height_; }
    VideoCounters counters() const;
    bool finished() const { return finished_; }  // a finite source ended and its last frame is encoded
    std::string error() const;                   // why a thread stopped early, if it did

private:
    // One feed of a codec: its encoder, its feed of raw frames, its topic and its thread.
    struct Lane {
        const Factory* factory = nullptr;
        std::string codec;
        Feed role = Feed::Main;
        std::shared_ptr<Topic<EncodedPacket>> topic;
        std::shared_ptr<Subscription<VideoFrame>> feed;  // set when it starts
        std::unique_ptr<Encoder> encoder;                // its thread's once started
        tether_encoder_config config{};                  // what the encoder codes with now
        std::chrono::steady_clock::time_point made_at{}; // of the encoder
        std::atomic<uint32_t> bitrate_wanted{0};         // 0: the configured rate
        std::atomic<uint32_t> fps_wanted{0};             // 0: every picture
        std::atomic<uint32_t> divisor_wanted{1};         // of the width and height (RateTarget::scale_divisor)
        std::atomic<bool> held{false};                   // every session of it holds it
        std::atomic<bool> failed{false};                 // its codec's encoder failed for good
        std::atomic<bool> keyframe_requested{true};
        std::atomic<bool> keyframe_at_once{false};
        std::atomic<uint64_t> looks_at_request{0};  // the capture's looks when a keyframe was last asked for
        // Rectangles sent as patches since the encoder's last picture: it codes them with its next.
        std::vector<tether_rect> patched;
        // Its thread's latest picture: a keyframe of a screen that stopped changing is made of it.
        std::optional<VideoFrame> last;
        bool wanted = false;  // a session subscribed: runs while the service does
        std::thread thread;
    };

    void capture_loop();
    // The next picture to publish: the capturer's newest, or the one grabbed up front while it is still current.
    std::optional<VideoFrame> grab_current();
    // Sleeps until `next_tick`, then waits at most a period for the picture to
    // change: true when a grab is due. Captures that say when they change are
    // grabbed at once on a change, at most once a period.
    bool wait_for_change(std::chrono::steady_clock::time_point& next_tick, std::chrono::microseconds period);
    // What changes besides the picture, while someone watches: the pointer each time, the monitors now and then.
    void look_around();
    void publish_cursor();
    void list_monitors();  // capture thread, or the constructor
    void encode_loop(Lane& lane);
    // Sends a small change of few colours as a screen patch instead of a picture; false when it is not one.
    bool send_as_patch(Lane& lane, const VideoFrame& frame);
    void start_lane(Lane& lane);  // holds lanes_mutex_
    Lane& lane_of(const std::string& codec, Feed feed = Feed::Main) const;
    // Each feed of `codec` at what the slowest of its sessions takes (holds wishes_mutex_).
    void share_out(const std::string& codec);
    bool watched() const;
    void fail(const std::string& what);
    // The lane's codec failed for good: the video goes on with the others, or fails with none left
    // (or when a benchmark's capture paces itself by the first encoder).
    void lose_codec(const Lane& lane, const std::string& why);
    std::optional<VideoFrame> first_picture();
    // The configuration the lane's encoder should code a picture of this size with.
    tether_encoder_config config_for(const Lane& lane, uint32_t width, uint32_t height) const;
    // Makes, changes or makes again the lane's encoder for `config`; false when it stays as it was.
    bool fit_encoder(Lane& lane, const tether_encoder_config& config);
    void make_encoder(Lane& lane, const tether_encoder_config& config);  // width() and height() follow

    VideoServiceOptions options_;
    std::unique_ptr<CaptureSource> capture_;
    std::optional<VideoFrame> first_frame_;  // grabbed up front: it tells the first encoder the size
    std::vector<std::string> codecs_;
    std::vector<std::unique_ptr<Lane>> lanes_;  // fixed after construction, two per codec, the first codec's main first
    struct Wish {
        std::string codec;
        congestion::RateTarget target;
        Feed feed = Feed::Main;
        bool held = false;
    };
    std::mutex wishes_mutex_;
    std::map<uint64_t, Wish> wishes_;  // by session
    std::atomic<uint32_t> width_{0};
    std::atomic<uint32_t> height_{0};
    std::shared_ptr<Topic<VideoFrame>> raw_topic_;

    mutable std::mutex lanes_mutex_;  // which lanes run
    std::atomic<bool> running_{false};
    std::atomic<bool> source_ended_{false};
    std::atomic<bool> finished_{false};
    std::atomic<uint64_t> captured_{0};
    std::atomic<uint64_t> encoded_{0};
    std::atomic<uint64_t> paced_{0};
    std::atomic<uint64_t> bytes_encoded_{0};
    std::atomic<uint64_t> late_ticks_{0};
    std::atomic<uint64_t> unchanged_{0};
    std::atomic<uint64_t> looks_{0};  // at the screen while watched, a change found or not
    std::atomic<uint64_t> resizes_{0};
    std::atomic<uint64_t> reconfigured_{0};
    std::atomic<uint64_t> encoders_made_{0};
    std::atomic<uint64_t> unwatched_ticks_{0};
    std::atomic<uint64_t> encoders_stopped_{0};
    std::atomic<uint64_t> encoder_restarts_{0};
    std::atomic<uint64_t> codecs_lost_{0};
    std::atomic<uint64_t> patches_{0};
    std::atomic<uint64_t> bytes_patched_{0};
    std::string error_;
    mutable std::mutex error_mutex_;
    CursorFeed cursor_;
    mutable std::mutex monitors_mutex_;
    Monitors monitors_;
    std::atomic<uint64_t> monitors_version_{0};
    std::chrono::steady_clock::time_point monitors_listed_{};  // capture thread
    std::shared_ptr<const CursorShape> cursor_shape_;  // the capture thread's latest
    std::thread capture_thread_;
};

}  // namespace tether
