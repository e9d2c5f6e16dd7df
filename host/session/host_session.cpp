#include "host_session.h"

#include "core/host_api.h"
#include "core/message_text.h"
#include "core/version.h"
#include "patch/patch_stream.h"
#include "protocol.h"
#include "send_backlog.h"
#include "service_host.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// A still screen sends nothing; this much quiet and the viewer hears a keepalive,
// well within the silence after which it takes its path for lost.
constexpr auto kKeepaliveAfter = 500ms;
// How long a session a viewer moves away from may take to read its last messages.
constexpr auto kMoveDrain = 1s;
using Clock = std::chrono::steady_clock;
// When the viewer of a full host may try again.
constexpr uint32_t kFullHostRetryMs = 5'000;

std::string full_host(size_t max_sessions) {
    return "the host takes " + std::to_string(max_sessions) + " session(s) at once and has that many; try again later";
}

// `codec`: the pictures', named on each keyframe so a viewer follows a switch.
void put_video_frame(proto::SessionMessage& message, const EncodedPacket& packet, uint64_t sequence,
                     const std::string& codec) {
    auto* frame = message.mutable_video_frame();
    frame->set_frame_number(packet.frame_number);
    frame->set_sequence(sequence);
    frame->set_capture_time_us(packet.capture_time_us);
    frame->set_send_delay_us(static_cast<uint32_t>(std::clamp<int64_t>(now_us() - packet.capture_time_us, 0, UINT32_MAX)));
    frame->set_keyframe(packet.keyframe());
    if (packet.keyframe()) frame->set_codec(codec);
    frame->set_width(packet.width);
    frame->set_height(packet.height);
    if (packet.screen_width != 0 && (packet.screen_width != packet.width || packet.screen_height != packet.height)) {
        frame->set_screen_width(packet.screen_width);
        frame->set_screen_height(packet.screen_height);
    }
    frame->set_data(packet.data.data(), packet.data.size());
}

// A patch, compressed in the stream this viewer decompresses, its capture time as a difference from the last patch's.
void put_patch(proto::SessionMessage& message, const EncodedPacket& packet, patch::CompressStream& stream,
               int64_t last_capture_us) {
    auto* patch = message.mutable_screen_patch();
    patch->set_capture_time_delta_us(packet.capture_time_us - last_capture_us);
    const patch::Compressed compressed = stream.compress(packet.data.bytes());
    const auto* bytes = reinterpret_cast<const char*>(compressed.bytes.data());
    if (compressed.codec == patch::Codec::Deflate)
        patch->set_deflated(bytes, compressed.bytes.size());
    else
        patch->set_zstd(bytes, compressed.bytes.size());
}

// Encoded pictures a session may have waiting; one more means it fell behind.
constexpr size_t kSessionWindow = 4;
constexpr auto kStreamPoll = 100ms;
constexpr auto kHeldPoll = 10ms;
constexpr auto kSwitchEvery = 1s;

// A session's wishes of the video it watches (VideoService::want), taken back when it
// watches another or ends.
class RateWishes {
public:
    explicit RateWishes(uint64_t session) : session_(session) {}
    ~RateWishes() {
        if (video_) video_->forget(session_);
    }
    RateWishes(const RateWishes&) = delete;
    RateWishes& operator=(const RateWishes&) = delete;
    Feed want(const std::shared_ptr<VideoService>& video, const std::string& codec, const congestion::RateTarget& target) {
        if (video_ && video_ != video) {
            video_->forget(session_);
            held_ = false;
        }
        video_ = video;
        return video->want(session_, codec, target);
    }
    // VideoService::hold, for the video last wanted.
    void hold(bool held) {
        if (!video_ || held == held_) return;
        held_ = held;
        video_->hold(session_, held);
    }

private:
    uint64_t session_;
    std::shared_ptr<VideoService> video_;
    bool held_ = false;
};

uint64_t next_session_id() {
    static std::atomic<uint64_t> last{0};
    return ++last;
}

template <typename T>
std::vector<uint8_t> bytes_of(const T& value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    return {p, p + sizeof value};
}

proto::SessionMessage monitor_list(const std::vector<CaptureSource::Monitor>& monitors, uint32_t shown) {
    proto::SessionMessage message;
    auto* list = message.mutable_monitors();
    for (const CaptureSource::Monitor& m : monitors) {
        auto* out = list->add_monitors();
        out->set_x(m.area.x);
        out->set_y(m.area.y);
        out->set_width(m.area.width);
        out->set_height(m.area.height);
        out->set_primary(m.primary);
        out->set_name(printable_line(m.name).substr(0, kMaxTextField));
    }
    list->set_shown(shown);
    return message;
}

const char* selection_topic(proto::ClipboardText::Selection selection) {
    return selection == proto::ClipboardText::PRIMARY ? "clipboard.primary" : "clipboard";
}

}  // namespace

std::shared_ptr<HostSession> HostSession::start(std::unique_ptr<Connection> connection, HostContext& context,
                                                WorkQueue& work, std::string peer, bool known_source,
                                                std::optional<net::Preface> preface) {
    std::shared_ptr<HostSession> session(new HostSession(context, work, std::move(peer), known_source));
    session->open(std::move(connection), std::move(preface));
    return session;
}

HostSession::HostSession(HostContext& context, WorkQueue& work, std::string peer, bool known_source)
    : context_(context), work_(work), peer_(std::move(peer)), known_source_(known_source), id_(next_session_id()) {
    report_.peer = peer_;
}

void HostSession::open(std::unique_ptr<Connection> connection, std::optional<net::Preface> preface) {
    // The channel's callbacks cannot outlive the session (its destructor closes
    // the channel), and must never hold it: its last owner would then destroy
    // it on the transport thread, inside the channel's own code.
    channel_ = net::SecureChannel::serve(
        std::move(connection), [this](BufferRef hello) { on_client_hello(std::move(hello)); },
        [this](std::span<const uint8_t> bytes) { on_message(bytes); },
        [this](const std::string& reason) { close_with(reason, false, true); }, std::move(preface));
    channel_->set_receive_limit(kMaxGreetingMessage);
    channel_->listen();
}

HostSession::~HostSession() {
    end(kHostShuttingDown);
    if (thread_.joinable()) thread_.join();
    // Waits for a callback a transport thread may still be running, as the
    // close that ended the session may have come from one.
    if (channel_) channel_->close(kHostShuttingDown);
}

bool HostSession::waiting_for_login() const {
    const Stage stage = stage_;
    return !ended_ && !end_soon_ && (stage == Stage::Handshake || stage == Stage::Greeting || stage == Stage::Checking);
}

HostSessionReport HostSession::report() const {
    std::lock_guard lock(mutex_);
    return report_;
}

void HostSession::end(const std::string& reason) { close_with(reason, true); }

void HostSession::end_soon(const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        if (end_soon_reason_.empty()) end_soon_reason_ = reason;
    }
    end_soon_ = true;
}

void HostSession::end_after_move(const std::string& reason) {
    {
        std::unique_lock lock(mutex_);
        moved_changed_.wait_for(lock, kMoveDrain, [&] { return moved_ || ended_; });
    }
    end_soon(reason);
}

void HostSession::supervise(Clock::time_point now) {
    if (end_soon_) {
        std::string reason;
        {
            std::lock_guard lock(mutex_);
            reason = end_soon_reason_;
        }
        return end(reason);
    }
    if (waiting_for_login() && now - connected_at_ >= context_.limits.login_timeout)
        end("no login within " + duration_text(context_.limits.login_timeout));
    else if (stage_ == Stage::LoggedIn && !ended_ && now - last_heard_.load() >= context_.limits.viewer_silence)
        end("viewer silent for " + duration_text(context_.limits.viewer_silence));
    else if (stage_ == Stage::LoggedIn && !ended_)
        keep_alive(now);
}

void HostSession::keep_alive(Clock::time_point now) {
    const uint64_t sent = channel_->bytes_sent();
    if (sent != keepalive_bytes_) {
        keepalive_bytes_ = sent;
        keepalive_since_ = now;
        return;
    }
    if (now - keepalive_since_ < kKeepaliveAfter) return;
    proto::SessionMessage keepalive;
    keepalive.mutable_keepalive();
    try {
        send(keepalive);
    } catch (const std::exception&) {
        // closed meanwhile: the session ends by its own path
    }
}

void HostSession::close_with(const std::string& reason, bool tell_peer, bool path_lost) {
    std::string ticket;
    bool placed = false;
    {
        std::lock_guard lock(mutex_);
        if (!report_.end_reason.empty()) return;
        report_.end_reason = reason;
        ticket = ticket_id_;
        placed = std::exchange(placed_, false);
    }
    bool moved = false;
    {
        std::lock_guard lock(mutex_);
        moved = moved_;
    }
    ended_ = true;
    moved_changed_.notify_all();
    if (!ticket.empty()) {
        // A lost path leaves the viewer its window to come back; any other end is final.
        if (path_lost)
            context_.resume_tickets->holder_lost(ticket);
        else
            context_.resume_tickets->revoke(ticket);
    }
    // Once a lost session's ticket waits for its viewer: its place is never free for a login meanwhile.
    if (placed) --context_.logged_in;
    if (stage_ == Stage::LoggedIn && !moved) {
        // After the session's last message to services: they let go of what it held.
        std::lock_guard lock(services_mutex_);
        context_.bus.topic<ServiceEvent>(kServicesTopic)->publish(ServiceEvent{{}, {}, id_, permissions_});
    }
    // A stranger is not worth a line each, or a flood of them would flood the
    // log: wrong passwords and turned-away connections are logged in sum.
    if (stage_ == Stage::LoggedIn)
        spdlog::info("session {} ended: {}", peer_, reason);
    else
        spdlog::debug("connection from {} ended before login: {}", peer_, reason);
    if (tell_peer && channel_) {
        try {
            send(goodbye(reason));
        } catch (const std::exception&) {
            // the viewer is gone, or the handshake never finished
        }
    }
    // Null only when the connection ended while the channel was being made.
    if (channel_) channel_->close(reason);
}

void HostSession::send(const proto::SessionMessage& message) { channel_->send(encode(message).bytes()); }

// ---- before login ----

void HostSession::on_client_hello(BufferRef hello) {
    const std::weak_ptr<HostSession> weak = weak_from_this();
    const bool queued = work_.submit([weak, hello = std::move(hello)] {
        if (auto self = weak.lock()) self->answer_client_hello(hello);
    });
    if (!queued) close_with("host busy: too many handshakes waiting", false);
}

void HostSession::answer_client_hello(const BufferRef& hello) {
    if (ended_) return;
    // Greeting before the reply leaves: the viewer's Hello may arrive as soon as it does.
    stage_ = Stage::Greeting;
    try {
        channel_->respond(context_.identity, hello, context_.channel);
    } catch (const net::HandshakeError& e) {
        return close_with(std::string("handshake failed: ") + e.what(), false);
    } catch (const PluginError& e) {
        return close_with(e.what(), false);  // the viewer left meanwhile
    }
    {
        std::lock_guard lock(mutex_);
        report_.cipher = net::cipher_name(channel_->cipher());
    }
}

void HostSession::on_greeting(proto::SessionMessage message) {
    // Before login only the greeting is allowed: a hello, then a login or a resumption.
    const bool resuming = message.has_resume_request();
    if (!message.has_hello() && !message.has_login_request() && !resuming)
        return close_with("protocol error: message before login", true);
    if (message.has_hello() && !hello_) {
        hello_ = std::move(*message.mutable_hello());
        return;
    }
    if ((!message.has_login_request() && !resuming) || !hello_)
        return close_with("expected hello and login from the viewer", true);
    if (hello_->protocol_version() != kProtocolVersion)
        return close_with("protocol version " + std::to_string(hello_->protocol_version()) +
                              " not supported (host speaks " + std::to_string(kProtocolVersion) + ")",
                          true);
    // The host's first codec that the viewer decodes, chosen before the password is checked,
    // so a one-time password is not spent on a session that cannot start.
    const std::vector<std::string> decoders(hello_->decoders().begin(), hello_->decoders().end());
    const std::optional<std::string> codec = context_.video.codec_for(decoders);
    if ((resuming || (message.login_request().permissions() & kView)) && !codec)
        return refuse("the viewer decodes none of the codecs this host sends (host: " +
                      join_names(context_.video.codecs()) + "; viewer: " + join_names(decoders) + ")");
    codec_ = codec.value_or(context_.video.codec());
    stage_ = Stage::Checking;
    const std::weak_ptr<HostSession> weak = weak_from_this();
    const bool queued =
        resuming ? work_.submit([weak, request = message.resume_request()] {
            if (auto self = weak.lock()) self->check_resume(request);
        })
                 : work_.submit([weak, request = message.login_request()] {
                       if (auto self = weak.lock()) self->check_password(request);
                   });
    if (!queued) refuse("host busy; try again later");
}

void HostSession::check_password(const proto::LoginRequest& request) {
    if (ended_) return;
    // A full host says so without checking the password. The place itself is taken once the password
    // holds, before a one-time password is spent: a wrong guess never holds one.
    if (!place_free()) return refuse(full_host(context_.limits.max_sessions), kFullHostRetryMs);
    const LoginDecision decision = context_.authenticator.check(
        {peer_, request.password(), request.permissions(), [this] { return take_place(false); }});
    if (decision.no_place) return refuse(full_host(context_.limits.max_sessions), kFullHostRetryMs);
    if (!decision.ok) return refuse(decision.reason, decision.retry_after_ms);
    if (context_.confirmer == nullptr) return admit(decision);
    stage_ = Stage::Confirming;
    const std::weak_ptr<HostSession> weak = weak_from_this();
    context_.confirmer->ask(
        {peer_, decision.granted},
        [weak] {
            const auto self = weak.lock();
            return self && !self->ended();
        },
        [weak, decision](const ConfirmAnswer& answer) {
            const auto self = weak.lock();
            if (!self) return;
            if (answer.allowed)
                self->admit(decision);
            else
                self->refuse(answer.reason);
        });
}

void HostSession::check_resume(const proto::ResumeRequest& request) {
    if (ended_) return;
    // Before the ticket is spent: its place and this one are never both free for a login.
    if (!take_place(true)) return;
    const std::string& proof = request.proof();
    const auto granted =
        context_.resume_tickets
            ? context_.resume_tickets->redeem(request.ticket_id(),
                                              {reinterpret_cast<const uint8_t*>(proof.data()), proof.size()}, *channel_,
                                              request.moving())
            : std::nullopt;
    if (!granted) return refuse("cannot resume: the ticket is unknown, spent or past its window; log in again");
    {
        std::lock_guard lock(mutex_);
        ++report_.resumed;
    }
    id_ = granted->session;
    resumed_ = true;
    // The person at the host said yes to this session already: no question again.
    admit({true, granted->permissions, {}, 0, false});
}

void HostSession::refuse(const std::string& reason, uint32_t retry_after_ms) {
    proto::SessionMessage response;
    auto* r = response.mutable_login_response();
    r->set_ok(false);
    r->set_reason(reason);
    r->set_retry_after_ms(retry_after_ms);
    try {
        send(response);
    } catch (const std::exception&) {
        // the viewer left meanwhile
    }
    close_with("login refused: " + reason, false);
}

size_t HostSession::awaited_resumes() const {
    // A viewer whose path dropped may come back within its window: its place waits for it.
    return context_.resume_tickets ? context_.resume_tickets->awaited() : 0;
}

bool HostSession::place_free() const { return context_.logged_in + awaited_resumes() < context_.limits.max_sessions; }

bool HostSession::take_place(bool resuming) {
    const size_t awaited = resuming ? 0 : awaited_resumes();
    std::lock_guard lock(mutex_);
    if (!report_.end_reason.empty()) return false;
    for (size_t now = context_.logged_in; resuming || now + awaited < context_.limits.max_sessions;)
        if (context_.logged_in.compare_exchange_weak(now, now + 1)) return placed_ = true;
    return false;
}

void HostSession::admit(const LoginDecision& decision) {
    if (ended_) return;
    permissions_ = decision.granted;
    {
        std::lock_guard lock(mutex_);
        report_.permissions = decision.granted;
        report_.logged_in = true;
    }
    stage_ = Stage::LoggedIn;
    channel_->set_receive_limit(kMaxViewerMessage);
    try {
        proto::SessionMessage response;
        auto* r = response.mutable_login_response();
        r->set_ok(true);
        r->set_permissions(decision.granted);
        send(response);

        const std::string& codec = codec_;
        proto::SessionMessage reply;
        auto* h = reply.mutable_hello();
        h->set_protocol_version(kProtocolVersion);
        h->set_app_version(kAppVersion);
        h->set_codec(codec);
        h->set_width(context_.video.width());
        h->set_height(context_.video.height());
        send(reply);
        spdlog::info("session {}: {} {}x{} to {}, {}", peer_, codec, context_.video.width(), context_.video.height(),
                     hello_->app_version(), format_permissions(decision.granted));
        offer_resume_ticket();
        if (decision.granted & kView) thread_ = std::thread([this] { stream(); });
    } catch (const std::system_error& e) {
        close_with(std::string("cannot start the session: ") + e.what(), true);
    } catch (const std::exception& e) {
        close_with(e.what(), false);
    }
}

void HostSession::offer_resume_ticket() {
    if (!context_.resume_tickets || context_.resume_tickets->window().count() == 0) return;
    const std::weak_ptr<HostSession> weak = weak_from_this();
    const std::string id =
        context_.resume_tickets->issue(*channel_, permissions_, id_, [weak](const std::string& reason, bool moving) {
            // The supervisor ends it: this runs on a work queue, in another session's login.
            auto self = weak.lock();
            if (!self) return;
            if (moving) return self->end_after_move(reason);
            self->end_soon(reason);
        });
    if (id.empty()) return;
    {
        std::lock_guard lock(mutex_);
        ticket_id_ = id;
    }
    // Ended meanwhile, before close_with() could see the ticket.
    if (ended_) return context_.resume_tickets->revoke(id);
    proto::SessionMessage ticket;
    ticket.mutable_resume_ticket()->set_ticket_id(id);
    ticket.mutable_resume_ticket()->set_window_s(static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(context_.resume_tickets->window()).count()));
    send(ticket);
}

// ---- logged in ----

void HostSession::on_message(std::span<const uint8_t> bytes) {
    last_heard_ = Clock::now();
    std::string error;
    auto message = decode(bytes, error);
    if (!message) return close_with("protocol error: " + error, true);
    const auto body = message->body_case();
    if (body == proto::SessionMessage::kGoodbye) return close_with("viewer said goodbye: " + message->goodbye().reason(), false);
    const Stage stage = stage_;
    if (stage == Stage::Greeting) return on_greeting(std::move(*message));
    if (stage != Stage::LoggedIn) return close_with("protocol error: message before login", true);
    switch (body) {
    case proto::SessionMessage::kKeyframeRequest:
        // Its own need: the stream loop decides when the shared encoder is asked. The pictures go
        // on meanwhile: a request that crossed a keyframe on its way must not freeze the viewer.
        if (permissions_ & kView) keyframe_asked_ = true;
        break;
    case proto::SessionMessage::kResendRequest: resend(message->resend_request()); break;
    case proto::SessionMessage::kInput: on_input(message->input()); break;
    case proto::SessionMessage::kClipboard: on_clipboard(message->clipboard()); break;
    case proto::SessionMessage::kShowMonitor:
        // The stream loop switches (and says no to a monitor that is not there).
        if (permissions_ & kView) wanted_monitor_ = message->show_monitor().monitor();
        break;
    case proto::SessionMessage::kStats: on_stats(message->stats()); break;
    case proto::SessionMessage::kSwitchCodec: on_switch_codec(message->switch_codec().codec()); break;
    case proto::SessionMessage::kPathMove: {
        {
            std::lock_guard lock(mutex_);
            moved_ = true;
        }
        moved_changed_.notify_all();
        break;
    }
    default: close_with("protocol error: unexpected message from viewer", true); break;
    }
}

void HostSession::on_stats(const proto::Stats& stats) {
    congestion::PathReport report;
    report.interval = std::chrono::microseconds(stats.interval_us());
    // A viewer cannot have taken more than was sent it: a claim beyond that would lift its
    // rate, and with it the main feed's, on nothing (the others would fall to the constrained one).
    // What it took in an interval may have been sent in the one before (a queue drains after the
    // host stopped adding to it), never before that and never twice.
    const uint64_t sent = channel_->bytes_sent();
    const uint64_t claimable_from = std::max(sent_at_report_before_, bytes_reported_);
    report.bytes = std::min<uint64_t>(stats.media_bytes(), sent - std::min(sent, claimable_from));
    bytes_reported_ = std::max(bytes_reported_, sent_at_report_before_) + report.bytes;
    sent_at_report_before_ = sent_at_last_report_;
    sent_at_last_report_ = sent;
    report.pictures = stats.pictures();
    report.lost = stats.lost();
    report.delay_slope_ms_per_s = stats.delay_slope_ms_per_s();
    report.queue_delay = std::chrono::microseconds(stats.queue_delay_us());
    report.newest_sequence = stats.newest_sequence();
    std::lock_guard lock(rate_mutex_);
    if (rate_) rate_->on_report(report, Clock::now());
}

void HostSession::on_switch_codec(const std::string& codec) {
    if (!(permissions_ & kView)) return;
    const auto& decoders = hello_->decoders();
    const auto& codecs = context_.video.codecs();
    if (std::find(decoders.begin(), decoders.end(), codec) == decoders.end() ||
        std::find(codecs.begin(), codecs.end(), codec) == codecs.end() || !context_.video.usable(codec)) {
        // Logged once per session: a flood must not flood the log too.
        if (!switch_refused_logged_.exchange(true))
            spdlog::warn("session {}: cannot switch to {}: host sends {}, viewer decodes {}", peer_, codec,
                         join_names(codecs), join_names({decoders.begin(), decoders.end()}));
        return;
    }
    std::lock_guard lock(mutex_);
    wanted_codec_ = codec;
}

void HostSession::on_input(const proto::InputEvent& event) {
    if (!(permissions_ & kInput)) {
        std::lock_guard lock(mutex_);
        // Logged once per session: a flood must not flood the log too.
        if (report_.input_refused++ == 0) spdlog::warn("session {}: input refused, the session may only view", peer_);
        return;
    }
    tether_input_event out{};
    out.struct_size = sizeof out;
    if (event.has_pointer()) {
        const auto& p = event.pointer();
        out.type = TETHER_INPUT_POINTER;
        out.x = p.x();
        out.y = p.y();
        out.buttons = p.buttons();
        out.wheel_x = p.scroll_x();
        out.wheel_y = p.scroll();
    } else {
        out.type = TETHER_INPUT_KEY;
        out.keysym = event.key().keysym();
        out.down = event.key().down() ? 1 : 0;
    }
    to_services("input", bytes_of(out));
    std::lock_guard lock(mutex_);
    ++report_.input_accepted;
}

void HostSession::on_clipboard(const proto::ClipboardText& text) {
    if (!(permissions_ & kClipboard)) {
        std::lock_guard lock(mutex_);
        if (report_.clipboard_refused++ == 0)
            spdlog::warn("session {}: clipboard text refused, the session has no clipboard permission", peer_);
        return;
    }
    to_services(selection_topic(text.selection()), std::vector<uint8_t>(text.text().begin(), text.text().end()));
    std::lock_guard lock(mutex_);
    ++report_.clipboard_received;
}

void HostSession::to_services(std::string topic, std::vector<uint8_t> data) {
    std::lock_guard lock(services_mutex_);
    if (ended_) return;
    context_.bus.topic<ServiceEvent>(kServicesTopic)
        ->publish(ServiceEvent{std::move(topic), std::move(data), id_, permissions_});
}

void HostSession::send_service_output(const std::string& topic, const std::vector<uint8_t>& data) {
    if (ended_ || stage_ != Stage::LoggedIn || !(permissions_ & kClipboard)) return;
    proto::SessionMessage message;
    auto* text = message.mutable_clipboard();
    text->set_selection(topic == "clipboard.primary" ? proto::ClipboardText::PRIMARY : proto::ClipboardText::CLIPBOARD);
    text->set_text(std::string(data.begin(), data.end()));
    try {
        send(message);
    } catch (const std::exception&) {
        return;  // the viewer is gone; the session ends on its own
    }
    std::lock_guard lock(mutex_);
    ++report_.clipboard_sent;
}

void HostSession::stream() {
    const HostLimits& limits = context_.limits;
    try {
        // What this session shows: the whole screen's video, or one monitor's, which it holds
        // (declared first: it goes last, after this session's feeds of it).
        std::shared_ptr<VideoService> video = monitor_video(0, 0);
        uint32_t shown = 0;
        RateWishes wishes(id_);  // declared before the feeds: its wish outlives them
        Feed role = Feed::Main;  // which of the codec's feeds it watches
        std::shared_ptr<Subscription<EncodedPacket>> feed;
        std::unique_ptr<CursorFeed::Listener> cursor;
        const auto watch = [&] {
            cursor.reset();  // before the new feed: its calls have ended
            // Pictures the window dropped are skipped pictures too: the report accounts for every one.
            feed = video->subscribe(
                codec_, Delivery::window(kSessionWindow),
                [this](uint64_t dropped) {
                    need_keyframe_ = true;
                    std::lock_guard lock(mutex_);
                    report_.frames_skipped += dropped;
                },
                role);
            cursor_shape_known_ = false;
            cursor = video->cursor().listen([this](const CursorState& c) { send_cursor(c); });
        };
        watch();
        {
            std::lock_guard lock(rate_mutex_);
            rate_.emplace(video->rate_controller());
        }
        congestion::RateTarget wanted;  // told to the video last
        auto wanted_at = Clock::time_point{};
        // Another feed (a codec, or the constrained feed of this one) from its next keyframe on; the
        // frame numbers go on in order, the pictures before that keyframe are not sent.
        std::optional<uint64_t> last_frame_number;
        SendBacklog backlog;
        bool holding = false;  // the session holds its feed
        auto switched_at = Clock::time_point{};  // the last codec switch
        // The new feed's keyframe comes when its encoder's ration allows (at most one a second): moves and
        // switches a viewer brings about must not make keyframes for every session of that feed.
        const auto move_to = [&](Feed next_role) {
            role = next_role;
            watch();
            need_keyframe_ = true;
            video->request_keyframe(codec_, false, role);
        };
        // Its viewer has been without pictures since the old path went: the shared encoder's ration waits.
        if (resumed_) video->request_keyframe(codec_, true);
        uint64_t monitors_sent = 0;  // the version of the list the viewer has
        auto last_request = Clock::now();  // subscribing asked for this session's first keyframe
        const auto switch_to = [&](const std::string& next) {
            switched_at = Clock::now();
            codec_ = next;
            move_to(Feed::Main);
            last_request = Clock::now();
            std::lock_guard lock(mutex_);
            ++report_.codec_switches;
        };
        // The viewer's progress: bytes it has taken off the channel, at most.
        uint64_t most_taken = 0;
        auto progress_at = Clock::now();
        proto::SessionMessage message;
        std::optional<patch::CompressStream> patches;  // the viewer's decompressor sees every patch sent, in order
        int64_t last_patch_us = 0;                     // the capture time of the last patch sent
        uint64_t sequence = 0;                         // pictures sent
        // Pictures go where they may be lost when the path has such a lane, keyframes
        // retransmitted (every later picture needs them); patches never go there.
        const bool media_lane = channel_->has_media_lane();
        while (!ended_) {
            // The list is copied only when the viewer's is out of date or it asked for another monitor.
            // The video shown lists the monitors: the whole screen's may have nobody watching it.
            if (wanted_monitor_ != shown || video->monitors_version() != monitors_sent) {
                const VideoService::Monitors monitors = video->monitors();
                // The monitor shown went away: the whole screen, until the viewer asks for another.
                if (uint32_t gone = shown; shown > monitors.list.size()) wanted_monitor_.compare_exchange_strong(gone, 0);
                if (const uint32_t wanted = wanted_monitor_; wanted != shown) {
                    if (std::shared_ptr<VideoService> next = monitor_video(wanted, monitors.list.size())) {
                        std::swap(video, next);
                        shown = wanted;
                        role = Feed::Main;
                        watch();  // before the one left goes
                        need_keyframe_ = true;
                        last_request = Clock::now();
                        monitors_sent = 0;  // the list again, saying what is shown now
                    } else {
                        wanted_monitor_ = shown;
                    }
                }
                if (monitors.version != monitors_sent) {
                    send(monitor_list(monitors.list, shown));
                    monitors_sent = monitors.version;
                }
            }
            // The host's encoder of this codec failed for good: another one the viewer decodes, at once.
            if (!video->usable(codec_)) {
                const auto& decoders = hello_->decoders();
                const std::optional<std::string> next = video->codec_for({decoders.begin(), decoders.end()});
                if (!next)
                    return close_with("the host's " + codec_ + " encoder failed, and the viewer decodes none of its other codecs",
                                      false);
                spdlog::warn("session {}: the {} encoder failed; switching to {}", peer_, codec_, *next);
                switch_to(*next);
            }
            // At most one switch a second: each one makes its new feed's encoder start a keyframe for every session of it.
            if (const std::string asked = wanted_codec(); !asked.empty() && asked != codec_ && video->usable(asked) &&
                                                          Clock::now() - switched_at >= kSwitchEvery) {
                spdlog::info("session {}: switching from {} to {}, as the viewer asked", peer_, codec_, asked);
                switch_to(asked);
            }
            // Holding its feed, the session looks at its queue often: the feed goes on once it drained.
            auto packet = feed->next(holding ? kHeldPoll : kStreamPoll);
            const auto now = Clock::now();
            const size_t unsent = channel_->pending_bytes();
            congestion::RateTarget target;
            {
                // The rate this session is sent at follows its viewer's reports and what the path takes.
                std::lock_guard lock(rate_mutex_);
                holding = backlog.look(unsent, channel_->bytes_sent(), *rate_, now) || rate_->draining(now);
                rate_->set_held_back(role == Feed::Constrained);
                rate_->set_newest_sent(sequence);
                target = rate_->target();
            }
            if (unsent == 0 || backlog.taken() > most_taken) {
                most_taken = std::max(most_taken, backlog.taken());
                progress_at = now;
            } else if (now - progress_at >= limits.write_timeout) {
                return close_with("viewer read nothing for " + duration_text(limits.write_timeout), false);
            }
            if (target != wanted || now - wanted_at >= 1s) {
                wanted = target;
                wanted_at = now;
                if (const Feed next = wishes.want(video, codec_, target); next != role) {
                    // Debug: a viewer's reports decide how often, and they must not flood the log.
                    spdlog::debug("session {}: to the {} feed of {} at {} kbit/s", peer_,
                                 next == Feed::Constrained ? "constrained" : "main", codec_, target.bitrate_kbps);
                    move_to(next);
                    last_request = now;
                }
                std::lock_guard lock(mutex_);
                report_.rate_kbps = target.bitrate_kbps;
                report_.rate_fps = target.fps;
                report_.constrained = role == Feed::Constrained;
            }
            wishes.hold(holding);  // a queue on the path: nothing new is coded for this session until it drains
            const bool backed_up = unsent > limits.max_unsent_bytes || backlog.skips(video->held(codec_, role), now);
            // A session that cannot send asks for nothing: a keyframe it cannot deliver
            // would only cost every other session.
            if (backed_up) {
                need_keyframe_ = true;
            } else if ((need_keyframe_ || keyframe_asked_) && now - last_request >= limits.keyframe_interval) {
                video->request_keyframe(codec_, false, role);
                last_request = now;
            }
            if (!packet) continue;
            // After a move to another feed, a picture that is not newer than the last one sent
            // goes (the same picture again only as a keyframe, which a still screen's may be).
            const bool stale = last_frame_number && (packet->frame_number < *last_frame_number ||
                                                     (packet->frame_number == *last_frame_number && !packet->keyframe()));
            if (backed_up || stale || (need_keyframe_ && !packet->keyframe())) {
                std::lock_guard lock(mutex_);
                ++report_.frames_skipped;
                continue;
            }
            if (packet->keyframe()) need_keyframe_ = keyframe_asked_ = false;
            last_frame_number = packet->frame_number;
            if (packet->patch) {
                if (!patches) patches.emplace();
                put_patch(message, *packet, *patches, last_patch_us);
                last_patch_us = packet->capture_time_us;
            } else {
                put_video_frame(message, *packet, ++sequence, codec_);
            }
            const BufferRef bytes = encode(message);
            if (packet->patch || !media_lane) {
                channel_->send(bytes.bytes());
            } else {
                channel_->send(bytes.bytes(), packet->keyframe() ? net::Lane::Media : net::Lane::MediaDroppable);
                sent_pictures_.sent(sequence, bytes);
            }
            backlog.handed(channel_->bytes_sent(), packet->keyframe(), bytes.size(), Clock::now());
            std::lock_guard lock(mutex_);
            ++(packet->patch ? report_.patches_sent : report_.frames_sent);
            if (packet->keyframe()) ++report_.keyframes_sent;
            report_.bytes_sent += bytes.size();
        }
    } catch (const std::exception& e) {
        close_with(e.what(), false);
    }
}

std::shared_ptr<VideoService> HostSession::monitor_video(uint32_t monitor, size_t listed) {
    if (monitor == 0) return {std::shared_ptr<VideoService>{}, &context_.video};  // not owned: the host's
    if (context_.monitors == nullptr || monitor > listed) {
        spdlog::warn("session {}: no monitor {} to show ({} listed)", peer_, monitor, listed);
        return nullptr;
    }
    try {
        return context_.monitors->of(monitor);
    } catch (const std::exception& e) {
        spdlog::warn("session {}: cannot show monitor {}: {}", peer_, monitor, e.what());
        return nullptr;
    }
}

void HostSession::resend(const proto::ResendRequest& request) {
    if (!(permissions_ & kView)) return;
    // A viewer that cannot keep up gets no more to read: the stream loop sends it a keyframe instead.
    if (channel_->pending_bytes() > context_.limits.max_unsent_bytes) return;
    uint64_t resent = 0;
    for (const BufferRef& picture : sent_pictures_.take_again(request.after(), request.through())) {
        channel_->send(picture.bytes(), net::Lane::Media);
        ++resent;
    }
    std::lock_guard lock(mutex_);
    report_.frames_resent += resent;
}

void HostSession::send_cursor(const CursorState& cursor) {
    // Behind, a viewer gets no positions: the next one after it catches up says where the pointer is.
    if (ended_ || channel_->pending_bytes() > context_.limits.max_unsent_bytes) return;
    try {
        const CursorShape* shape = cursor.shape.get();
        if (shape != nullptr && (!cursor_shape_known_ || shape->serial != cursor_shape_sent_)) {
            proto::SessionMessage message;
            auto* s = message.mutable_cursor_shape();
            s->set_serial(shape->serial);
            s->set_width(shape->width);
            s->set_height(shape->height);
            s->set_hot_x(shape->hot_x);
            s->set_hot_y(shape->hot_y);
            s->set_bgra(shape->bgra.data(), shape->bgra.size());
            if (shape->width <= kMaxCursorSide && shape->height <= kMaxCursorSide) send(message);
            cursor_shape_sent_ = shape->serial;
            cursor_shape_known_ = true;
        }
        proto::SessionMessage message;
        auto* p = message.mutable_cursor_position();
        p->set_x(cursor.x);
        p->set_y(cursor.y);
        p->set_visible(cursor.visible);
        p->set_shape_serial(shape != nullptr ? shape->serial : 0);
        send(message);
    } catch (const std::exception&) {
        return;  // the viewer is gone; the stream ends the session
    }
    std::lock_guard lock(mutex_);
    ++report_.cursor_updates;
}

}  // namespace tether::session
