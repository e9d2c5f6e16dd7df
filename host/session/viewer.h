// A viewer without a screen of its own: greets the host, decodes what it
// sends and measures it. Each decoded picture's frame number and capture time
// are read back from the stamp in its pixels (tether/frame_stamp.hpp), so
// loss, order and glass-to-glass latency are measured on what was really
// decoded. A window (host/window) shows the pictures through the callbacks
// below and sends input and clipboard text back through it.
#pragma once

#include "congestion/path_meter.h"
#include "core/mailbox.h"
#include "core/media.h"
#include "core/plugin_objects.h"
#include "net/secure_channel.h"
#include "resume_tickets.h"
#include "patch/patch_stream.h"
#include "picture_order.h"
#include "session.pb.h"

#include <tether/frame_stamp.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether::session {

// The host's screen, in its own pixels.
struct Screen {
    uint32_t width = 0;
    uint32_t height = 0;
    bool operator==(const Screen&) const = default;
};

struct ViewerOptions {
    std::string password;
    uint32_t permissions = 0;              // asked for at login (session/permissions.h)
    std::vector<const Factory*> decoders;  // preference order; their codecs go into Hello
    uint32_t decode_threads = 2;
    bool keep_last_frame = false;  // for --png
    uint32_t monitor = 0;          // asked to be shown after login: 0 the whole screen, n the host's n-th monitor
    std::string codec;             // asked for after login where the host chose another; "": the host's choice
    // false: count pictures from their metadata without decoding (a sink that
    // measures the sending side alone, as `tether bench pipeline` does).
    bool decode = true;
    // The host answers a login at once, or after someone at it says yes
    // (`tether host --confirm`, 30 s by default): past this, the viewer gives up.
    std::chrono::milliseconds login_answer_timeout{90'000};
    // Hearing nothing at all from a logged-in host this long (it sends keepalives
    // twice a second) means the path is gone: the session resumes on another
    // when it holds a ticket, and ends otherwise.
    std::chrono::milliseconds host_silence{2'000};
    // After the login, the host's Hello (codec and size) comes at once.
    std::chrono::milliseconds hello_timeout{10'000};
    // Per-picture numbers kept for the report: about 20 minutes at 30 fps;
    // past it the older half goes.
    size_t per_picture_kept = 36'000;
    // Called after each picture, at the login's answer, at the host's Hello and
    // when the session ends, on a viewer thread with no lock held; must not
    // block (it wakes whoever waits on the report).
    std::function<void()> on_change;
    // Each decoded picture, on the decode thread; its planes are valid only
    // during the call, and the call must not block. `latency_us`: capture to
    // decoded, from the stamp, or from the capture time the host sent.
    // `screen`: the host's screen the picture shows, which it may be coded smaller than
    // (positions, the pointer's and the cursor's, are the screen's pixels).
    std::function<void(const tether_video_frame& picture, Screen screen, int64_t latency_us)> on_picture;
    // What the host sends besides pictures, on the decode thread, bounded by
    // decode() (session/protocol.h). Clipboard text comes only when the
    // clipboard permission was asked for and granted.
    std::function<void(const proto::ClipboardText&)> on_clipboard;
    std::function<void(const proto::CursorShape&)> on_cursor_shape;
    std::function<void(const proto::CursorPosition&)> on_cursor_position;
    std::function<void(const proto::MonitorList&)> on_monitors;
};

struct ViewerReport {
    bool logged_in = false;
    uint32_t permissions = 0;  // granted by the host
    std::string cipher;
    std::string codec;
    uint32_t width = 0;   // of the pictures shown now (the Hello's before the first)
    uint32_t height = 0;
    Screen screen;        // the host's screen they show: larger when the pictures are coded smaller
    // Each size pictures were shown at, in order, a new entry at each change (the first 64).
    std::vector<std::pair<uint32_t, uint32_t>> sizes;
    uint64_t frames = 0;           // pictures shown: decoded, or patched (counted from their metadata when decode is off)
    uint64_t patches = 0;          // screen patches among them
    uint64_t skipped = 0;          // pictures received but not shown: fallen behind, or waiting for a keyframe
    uint64_t keyframes = 0;        // keyframes received
    uint64_t keyframe_requests = 0;
    uint64_t unreadable = 0;       // pictures without a readable stamp
    uint64_t missing = 0;          // frame numbers never seen between the first and the last
    uint64_t out_of_order = 0;
    uint64_t decode_errors = 0;
    uint64_t bytes_received = 0;
    // Per picture with a readable stamp, the latest ViewerOptions::per_picture_kept of them.
    std::vector<int64_t> latencies_us;  // capture to decoded
    std::vector<uint64_t> frame_numbers;
    int64_t first_frame_us = 0;
    int64_t last_frame_us = 0;
    // The longest time between two pictures shown, or from the last one to the
    // end (or now): what a frozen picture looks like in numbers.
    int64_t max_gap_us = 0;
    uint64_t input_sent = 0;      // InputEvents sent to the host
    uint64_t clipboard_sent = 0;  // ClipboardTexts sent to the host
    int64_t end_us = 0;      // when the session ended; 0 while it runs
    std::string end_reason;  // empty while the session runs
    std::string host_goodbye;  // the reason the host gave, when it ended the session with a Goodbye
    uint32_t monitors = 0;      // the host's monitors, as it listed them last (0: it lists none)
    uint32_t monitor_shown = 0;  // 0: the whole screen; n: the n-th monitor
    uint64_t monitor_requests = 0;  // monitors asked to be shown
    uint64_t resumed = 0;           // times the session came back on a new path without a login
    uint64_t moved = 0;             // times it moved to a better path while the old one worked
    int64_t move_gap_us = 0;        // the longest time without a picture across a move
    uint64_t media_records_dropped = 0;  // refused on the media lane (forged, replayed, too old)
    uint64_t resend_requests = 0;   // gaps in the pictures of the media lane asked for again
    uint64_t frames_lost = 0;       // pictures given up on: missed, and not sent again in time
    uint64_t codec_requests = 0;    // codec switches asked of the host
    uint64_t codec_switches = 0;    // times the host's pictures changed codec
};

class Viewer {
public:
    // Greets and logs in over an established channel; the answer arrives on the decode thread.
    Viewer(std::unique_ptr<net::SecureChannel> channel, ViewerOptions options);
    ~Viewer();
    Viewer(const Viewer&) = delete;
    Viewer& operator=(const Viewer&) = delete;

    void stop(const std::string& reason);  // goodbye, close, join
    bool ended() const { return ended_; }
    bool logged_in() const { return logged_in_; }
    // The path to the host dropped under a logged-in session that holds a
    // resume ticket: the session waits for resume() instead of ending.
    bool path_lost() const { return path_lost_; }
    // Carries the session on over a new channel to the same host with the
    // ticket instead of a password; the host's answer comes as a login's
    // does. False when there is no ticket to present (then stop() it).
    bool resume(std::unique_ptr<net::SecureChannel> channel, bool moving = false);
    // Logged in with a ticket on a path that works: move_to() may carry the session over.
    bool can_move() const;
    // Leaves a path that still works for `channel` (a relayed session going
    // direct): PathMove last on the old path, then resume() with `moving`;
    // input meanwhile waits and goes on the new path, in order, once admitted.
    bool move_to(std::unique_ptr<net::SecureChannel> channel);
    // How long the host keeps the session's ticket after its path drops (0: no ticket).
    std::chrono::seconds resume_window() const;
    ViewerReport report() const;
    // The report without the per-picture numbers: cheap enough to read often.
    ViewerReport counters() const;
    uint32_t granted() const { return granted_; }  // permissions, 0 until logged in
    // [thread-safe] To the host, when the session was granted the permission
    // (input; clipboard); false, sending nothing, otherwise or once ended.
    // Clipboard text over kMaxClipboardBytes is not sent either.
    bool send_input(const proto::InputEvent& event);
    bool send_clipboard(proto::ClipboardText::Selection selection, const std::string& text);
    // [thread-safe] Asks the host to show the whole screen (0) or one of its monitors (needs view).
    bool show_monitor(uint32_t monitor);
    // [thread-safe] Asks the host to send `codec` from now on (one of the decoders; needs view).
    bool switch_codec(const std::string& codec);
    std::optional<VideoFrame> last_frame() const;  // an I420 copy, when keep_last_frame

private:
    // What the transport thread hands the decode thread: a parsed message, or the end.
    struct Inbound {
        proto::SessionMessage message;
        std::optional<std::string> closed;
        size_t bytes = 0;  // what it weighs in the queue
        int64_t capture_time_us = 0;  // a patch's, from the deltas (transport thread)
        std::vector<uint8_t> patch{};  // a patch's, decompressed (transport thread)
        uint64_t path = 0;  // the path it came on (path_)
    };
    // Starts `channel` and greets the host with a login or a resumption.
    void open(std::shared_ptr<net::SecureChannel> channel, const proto::SessionMessage& admission);
    std::shared_ptr<net::SecureChannel> channel() const;
    void on_message(std::span<const uint8_t> bytes, uint64_t path);  // transport thread
    void decode_loop();
    void handle(const Inbound& in);
    // Puts the media lane's pictures back in order, shows those it can, then tells options_.on_change.
    void on_video(const proto::VideoFrame& frame, uint64_t path);
    // Asks again for pictures missed on the media lane; gives up on them when they do not come.
    void chase_missing();
    void show(const proto::VideoFrame& frame);  // decodes and records it
    // Decodes `codec` from now on (decode thread); the host's choice, so one without a decoder here is an error.
    void take_codec(const std::string& codec);
    void on_picture(const tether_video_frame& picture);  // a decoded one
    void on_patch(const std::vector<uint8_t>& patch, int64_t capture_time_us);  // paints it on the picture shown
    void present(const tether_video_frame& picture);     // to options_.on_picture and the report
    void record(const std::optional<stamp::Stamp>& stamp, int64_t at_us);  // holds mutex_
    // Asks again only when the last request went unanswered for a while.
    void request_keyframe(const std::string& reason);
    void finish(const std::string& reason);
    // Logged in with a ticket, and not ended: a lost path waits for resume().
    bool resumable() const;
    // Ends a session whose host has not answered in time (decode thread).
    void check_deadlines();
    // The path's report to the host every kStatsEvery after login: its rate follows them, and they tell it the viewer is there.
    void send_stats_when_due();

    void send(const proto::SessionMessage& message);
    // Sends from outside the decode thread, when `permission` was granted; counts into `sent`.
    bool send_permitted(const proto::SessionMessage& message, uint32_t permission, uint64_t ViewerReport::*sent);
    void changed() const;  // tells options_.on_change, if any

    mutable std::mutex channel_mutex_;
    std::shared_ptr<net::SecureChannel> channel_;  // a new one after each resume()
    std::atomic<uint64_t> path_{0};                 // counts resume()s: which channel is the session's
    ViewerOptions options_;
    std::unique_ptr<Decoder> decoder_;
    Mailbox<Inbound> inbound_;
    std::atomic<bool> ended_{false};
    std::atomic<bool> logged_in_{false};
    std::atomic<uint32_t> granted_{0};
    std::atomic<bool> need_keyframe_{true};
    std::chrono::steady_clock::time_point last_keyframe_request_{};  // decode thread
    // The login's (or the resumption's) start, for its deadline.
    std::atomic<std::chrono::steady_clock::time_point> started_{std::chrono::steady_clock::now()};
    std::atomic<bool> path_lost_{false};
    std::atomic<std::chrono::steady_clock::time_point> last_heard_{std::chrono::steady_clock::now()};  // transport thread
    uint64_t received_seen_ = 0;  // decode thread: the transport's count of bytes received, when it last looked
    struct Ticket {
        std::string id;
        ResumeKey key;
        std::chrono::seconds window;
    };
    std::optional<Ticket> ticket_;  // mutex_: the host's latest, until presented
    // Input and clipboard sent while a resumed path waits for the host's
    // admission, in order; logged_in_ changes under it.
    std::mutex held_mutex_;
    std::vector<proto::SessionMessage> held_;
    bool move_under_way_ = false;  // mutex_: from a move to the first picture after it
    std::chrono::steady_clock::time_point logged_in_at_{};  // decode thread
    std::chrono::steady_clock::time_point stats_sent_at_{};  // decode thread
    mutable std::mutex mutex_;
    ViewerReport report_;  // its per-picture vectors stay empty: they are the two below
    std::vector<int64_t> latencies_us_;
    std::vector<uint64_t> frame_numbers_;
    std::optional<VideoFrame> last_frame_;
    std::optional<VideoFrame> canvas_;                    // decode thread: what is shown now
    Screen screen_;                                       // decode thread: the screen the latest picture shows
    std::optional<patch::DecompressStream> patch_stream_;  // transport thread
    int64_t last_patch_us_ = 0;                           // transport thread: the capture time of the last patch
    congestion::PathMeter path_meter_;
    PictureOrder order_;            // decode thread
    uint64_t order_path_ = 0;       // decode thread: the path order_ is about
    std::optional<PictureOrder::Gap> asked_;  // decode thread: the gap last asked for again
    std::thread thread_;
};

}  // namespace tether::session
