// The host's side of one viewer session: the encrypted handshake, login,
// then the shared encoder's pictures. Every message from the viewer is
// checked against what the session was granted.
//
// Until the password is checked a session has no thread of its own: its
// messages arrive on the transport thread, and the handshake and the
// password check run on a bounded work queue. A session that logged in with
// the view permission gets one thread that sends it pictures. A session that
// cannot keep up loses pictures alone and resumes at its next keyframe; one
// that reads nothing for the write timeout is dropped.
#pragma once

#include "authenticator.h"
#include "confirmer.h"
#include "core/bus.h"
#include "core/work_queue.h"
#include "net/secure_channel.h"
#include "pipeline/monitor_videos.h"
#include "pipeline/video_service.h"
#include "resume_tickets.h"
#include "sent_pictures.h"
#include "session.pb.h"

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether::session {

struct HostLimits {
    std::chrono::milliseconds login_timeout{10'000};  // from the connection to a checked password
    std::chrono::milliseconds write_timeout{15'000};  // a viewer that reads nothing this long is dropped
    // A logged-in viewer sends its statistics every second: one that sends nothing this
    // long is gone (a dead link, a stopped process), and what it held down is let go.
    std::chrono::milliseconds viewer_silence{30'000};
    size_t pending_logins = 128;                      // connections waiting to log in, in all
    size_t pending_logins_per_source = 8;             // and from one source (an IPv4 address, an IPv6 /64)
    // Sessions logged in at once; a login beyond it is refused before its password is checked
    // (a one-time password is not spent on it). A resumed session takes its predecessor's place.
    size_t max_sessions = 64;
    // Bytes a session may have unsent, the kernel's share included, before it
    // skips pictures: beyond it latency grows without bound.
    size_t max_unsent_bytes = 1u << 20;
    // How often one session may make the shared encoder start a keyframe; the
    // encoder itself makes at most one a second for everyone.
    std::chrono::milliseconds keyframe_interval{5'000};
};

// What every session on a host shares.
struct HostContext {
    VideoService& video;
    Bus& bus;  // publishes permitted input and clipboard text for services on "services" (service_host.h)
    const security::Identity& identity;
    Authenticator& authenticator;
    net::ChannelOptions channel;
    HostLimits limits;
    Confirmer* confirmer = nullptr;  // set: someone at the host says yes to each login
    MonitorVideos* monitors = nullptr;  // set: a session may show one monitor of the screen
    ResumeTickets* resume_tickets = nullptr;  // set: sessions whose path drops may resume
    std::atomic<size_t> logged_in{0};  // sessions now, against limits.max_sessions
};

struct HostSessionReport {
    std::string peer;
    std::string cipher;
    uint32_t permissions = 0;
    uint64_t frames_sent = 0;
    uint64_t patches_sent = 0;  // screen patches (patch/screen_patch.h), not counted in frames_sent
    uint64_t keyframes_sent = 0;
    uint64_t frames_skipped = 0;  // pictures not sent: dropped while behind (the window overflowed, the viewer backed up) until a keyframe
    uint64_t frames_resent = 0;   // pictures the viewer missed on the media lane and asked for again
    uint64_t bytes_sent = 0;
    uint64_t input_accepted = 0;
    uint64_t input_refused = 0;  // input without the input permission
    uint64_t clipboard_received = 0;  // texts from the viewer passed on to services
    uint64_t clipboard_sent = 0;      // texts from services sent to the viewer
    uint64_t clipboard_refused = 0;   // texts from a viewer without the clipboard permission
    uint64_t cursor_updates = 0;      // pointer positions sent
    uint64_t resumed = 0;             // 1 when this session took over one whose path was lost
    uint32_t rate_kbps = 0;           // what its rate controller allows now (docs/congestion.md)
    uint32_t rate_fps = 0;
    bool constrained = false;         // watches its codec's constrained feed
    uint64_t codec_switches = 0;      // the viewer asked for another codec and got it
    bool logged_in = false;
    std::string end_reason;  // empty while it runs
};

class HostSession : public std::enable_shared_from_this<HostSession> {
public:
    // `work` runs this session's handshake and password check.
    // `known_source`: the peer's source logged in before (admission never ends its login for room).
    // `preface`: the connection is one the host dialed to a relay, which answers it first.
    static std::shared_ptr<HostSession> start(std::unique_ptr<Connection> connection, HostContext& context,
                                              WorkQueue& work, std::string peer, bool known_source,
                                              std::optional<net::Preface> preface = std::nullopt);
    // Ends the session and joins its thread. Never on that thread or a transport thread.
    ~HostSession();
    HostSession(const HostSession&) = delete;
    HostSession& operator=(const HostSession&) = delete;

    bool ended() const { return ended_; }
    // The session's number for services, unique in this process; a resumed
    // session carries on its predecessor's, so what that one held stays held.
    uint64_t id() const { return id_; }
    // Sends what a service published to this session's viewer, when it logged
    // in with the permission the topic needs; [thread-safe].
    void send_service_output(const std::string& topic, const std::vector<uint8_t>& data);
    // Not ended, and no password checked yet: what the admission limits count.
    bool waiting_for_login() const;
    const std::string& peer() const { return peer_; }
    bool known_source() const { return known_source_; }
    HostSessionReport report() const;
    void end(const std::string& reason);  // says goodbye and closes
    // Marks the session to be ended by the next supervise() (from a transport
    // thread, which must not wait for a close); it no longer counts as waiting.
    void end_soon(const std::string& reason);
    // end_soon() once the viewer's last message on this path (PathMove) was
    // read, or the path closed, or a second passed: the successor is admitted
    // after everything the viewer sent here went to services.
    void end_after_move(const std::string& reason);
    // Ends the session if end_soon() asked to, or if it has not logged in in time.
    void supervise(std::chrono::steady_clock::time_point now);

private:
    enum class Stage { Handshake, Greeting, Checking, Confirming, LoggedIn };

    HostSession(HostContext& context, WorkQueue& work, std::string peer, bool known_source);
    void open(std::unique_ptr<Connection> connection, std::optional<net::Preface> preface);
    void on_client_hello(BufferRef hello);              // transport thread
    void answer_client_hello(const BufferRef& hello);  // work queue
    void on_message(std::span<const uint8_t> bytes);   // transport thread
    void on_greeting(proto::SessionMessage message);   // transport thread
    void check_password(const proto::LoginRequest& request);  // work queue
    void check_resume(const proto::ResumeRequest& request);   // work queue
    void offer_resume_ticket();                               // at admission
    void keep_alive(std::chrono::steady_clock::time_point now);  // supervisor
    void admit(const LoginDecision& decision);                // work queue or confirmer
    void refuse(const std::string& reason, uint32_t retry_after_ms = 0);
    size_t awaited_resumes() const;  // viewers whose path dropped that may come back
    bool place_free() const;         // for a new login: sessions and awaited resumes leave one
    // A place among the host's sessions, taken once a password holds (or before a ticket is checked)
    // and given back when the session ends; false when none is free. A resume always has one: its session's.
    bool take_place(bool resuming);
    void on_input(const proto::InputEvent& event);
    void on_stats(const proto::Stats& stats);                 // transport thread: the viewer's report on its path
    void on_switch_codec(const std::string& codec);           // transport thread
    std::string wanted_codec() const {
        std::lock_guard lock(mutex_);
        return wanted_codec_;
    }
    void on_clipboard(const proto::ClipboardText& text);
    // Hands a message to the services, in order, never after the session's end.
    void to_services(std::string topic, std::vector<uint8_t> data);
    void stream();
    // [capture thread, one at a time] The pointer to the viewer: its shape first when new to it.
    void send_cursor(const CursorState& cursor);
    // The video of `monitor` (0: the whole screen) when it is one of the `listed`; null, saying why, when not.
    // The video of a monitor (0: the whole screen, which the host holds), or null when there is none.
    std::shared_ptr<VideoService> monitor_video(uint32_t monitor, size_t listed);
    void send(const proto::SessionMessage& message);
    // The pictures a viewer on the media lane missed, again, those still kept.
    void resend(const proto::ResendRequest& request);
    // `path_lost`: the connection went away under a logged-in session, which may resume.
    void close_with(const std::string& reason, bool tell_peer, bool path_lost = false);

    HostContext& context_;
    WorkQueue& work_;
    const std::string peer_;
    const bool known_source_;
    std::atomic<uint64_t> id_;
    const std::chrono::steady_clock::time_point connected_at_ = std::chrono::steady_clock::now();
    std::unique_ptr<net::SecureChannel> channel_;
    std::optional<proto::Hello> hello_;  // the viewer's, transport thread until Checking
    std::string codec_;                  // chosen with the greeting, before the password check and the stream thread
    uint64_t keepalive_bytes_ = 0;           // supervisor: the channel's count at the last look
    std::chrono::steady_clock::time_point keepalive_since_{};  // supervisor: since when that count stands
    std::string ticket_id_;              // the resume ticket of this session, once logged in (mutex_)
    std::atomic<Stage> stage_{Stage::Handshake};
    std::atomic<bool> ended_{false};
    std::atomic<bool> end_soon_{false};
    // The viewer moved to another path and said so last on this one (PathMove):
    // what it held goes on with the successor instead of being let go (mutex_).
    bool moved_ = false;
    bool placed_ = false;  // holds a place among the host's logged-in sessions (mutex_)
    std::condition_variable moved_changed_;
    std::atomic<uint32_t> permissions_{0};
    std::atomic<bool> need_keyframe_{true};   // the session skips pictures until a keyframe
    std::atomic<bool> keyframe_asked_{false};  // its viewer asked for one (and is sent pictures meanwhile)
    std::atomic<bool> resumed_{false};  // took over a session whose path went or that moved
    std::atomic<uint32_t> wanted_monitor_{0};
    std::atomic<bool> switch_refused_logged_{false};
    // Transport thread: the channel's bytes sent at the viewer's last two Stats, and the
    // media bytes its reports have counted, in all.
    uint64_t sent_at_last_report_ = 0;
    uint64_t sent_at_report_before_ = 0;
    uint64_t bytes_reported_ = 0;
    std::string wanted_codec_;  // mutex_: what the viewer asked to be sent, if anything; the stream loop switches
    // The session's rate, from its viewer's reports (transport thread) and its path (stream thread).
    std::mutex rate_mutex_;
    std::optional<congestion::RateController> rate_;
    SentPictures sent_pictures_;  // on the media lane only: elsewhere nothing is lost
    std::atomic<std::chrono::steady_clock::time_point> last_heard_{std::chrono::steady_clock::now()};  // the viewer's last message
    mutable std::mutex mutex_;
    HostSessionReport report_;
    std::string end_soon_reason_;
    std::mutex services_mutex_;
    uint64_t cursor_shape_sent_ = 0;  // the shape serial the viewer has; send_cursor's alone
    bool cursor_shape_known_ = false;  // orders what goes to services, and the end after it
    std::thread thread_;
};

}  // namespace tether::session
