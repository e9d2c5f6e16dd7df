#include "viewer.h"

#include "core/host_api.h"
#include "core/message_text.h"
#include "core/version.h"
#include "patch/screen_patch.h"
#include "permissions.h"
#include "protocol.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
// Messages waiting for the decoder; more means it fell behind, and the
// oldest pictures go (the next keyframe resynchronises). The bytes bound
// what a hostile host can make the viewer hold: two messages at the limit.
constexpr size_t kInboundWindow = 16;
constexpr size_t kInboundBytes = 2 * kMaxSessionMessage;
// A keyframe request that went unanswered this long is sent again.
constexpr auto kKeyframeRetry = 1s;
// Pictures missed on the media lane and asked for again that have not come in
// this long are given up on for a keyframe (a resend is retransmitted until it
// arrives, so only a host that no longer held them, or a dying path, takes this long).
constexpr auto kResendPatience = 500ms;
// How often a logged-in viewer tells the host how it is doing (and that it is there).
// The host's rate controller hears from the viewer at least twice a second (docs/congestion.md).
constexpr auto kStatsEvery = 250ms;
constexpr size_t kMaxSizesKept = 64;
// Input and clipboard held while a new path waits for admission (a second of typing and pointer motion, many times over).
constexpr size_t kMaxHeldMessages = 1024;

void copy_plane(uint8_t* dst, uint32_t dst_stride, const uint8_t* src, uint32_t src_stride, uint32_t width,
                uint32_t rows) {
    for (uint32_t r = 0; r < rows; ++r) std::memcpy(dst + size_t{r} * dst_stride, src + size_t{r} * src_stride, width);
}

// An I420 picture into one of the same size; its times come along.
void copy_i420(const tether_video_frame& from, VideoFrame& to) {
    const uint32_t cw = (from.width + 1) / 2;
    const uint32_t ch = (from.height + 1) / 2;
    copy_plane(to.raw.planes[0], to.raw.strides[0], from.planes[0], from.strides[0], from.width, from.height);
    copy_plane(to.raw.planes[1], to.raw.strides[1], from.planes[1], from.strides[1], cw, ch);
    copy_plane(to.raw.planes[2], to.raw.strides[2], from.planes[2], from.strides[2], cw, ch);
    to.raw.frame_number = from.frame_number;
    to.raw.capture_time_us = from.capture_time_us;
}

}  // namespace

Viewer::Viewer(std::unique_ptr<net::SecureChannel> channel, ViewerOptions options)
    : options_(std::move(options)),
      // Only pictures may be dropped; control messages must all arrive.
      inbound_(
          kInboundWindow, Overflow::DropOldest,
          [](const Inbound& in) { return in.message.has_video_frame() || in.message.has_screen_patch(); },
          [](const Inbound& in) { return in.bytes; }, kInboundBytes) {
    proto::SessionMessage login;
    login.mutable_login_request()->set_password(options_.password);
    login.mutable_login_request()->set_permissions(options_.permissions);
    open(std::move(channel), login);
    thread_ = std::thread([this] { decode_loop(); });
}

void Viewer::open(std::shared_ptr<net::SecureChannel> channel, const proto::SessionMessage& admission) {
    {
        std::lock_guard lock(mutex_);
        report_.cipher = net::cipher_name(channel->cipher());
    }
    {
        std::lock_guard lock(channel_mutex_);
        channel_ = channel;
    }
    channel->start([this, path = path_.load()](std::span<const uint8_t> bytes) { on_message(bytes, path); },
                   // Queued behind what already arrived, so a goodbye is read before the close.
                   [this, path = path_.load()](const std::string& reason) {
                       if (path != path_) return;  // a path the session left: its end is not the session's
                       if (inbound_.push(Inbound{{}, reason}) < 0) finish(reason);
                   });
    proto::SessionMessage hello;
    auto* h = hello.mutable_hello();
    h->set_protocol_version(kProtocolVersion);
    h->set_app_version(kAppVersion);
    for (const Factory* f : options_.decoders) h->add_decoders(f->table<tether_decoder_vtable>().codec);
    send(hello);
    send(admission);
}

std::shared_ptr<net::SecureChannel> Viewer::channel() const {
    std::lock_guard lock(channel_mutex_);
    return channel_;
}

bool Viewer::can_move() const {
    std::lock_guard lock(mutex_);
    return logged_in_ && ticket_ && !path_lost_ && !ended_;
}

bool Viewer::move_to(std::unique_ptr<net::SecureChannel> channel) {
    if (!can_move()) return false;
    {
        // Nothing the user does goes on the old path after its last message.
        std::lock_guard lock(held_mutex_);
        logged_in_ = false;
        proto::SessionMessage last;
        last.mutable_path_move();
        try {
            send(last);
        } catch (const PluginError&) {
            // closed meanwhile: the host ends the old session at its timeout instead
        }
    }
    {
        std::lock_guard lock(mutex_);
        move_under_way_ = true;
    }
    return resume(std::move(channel), true);
}

bool Viewer::resume(std::unique_ptr<net::SecureChannel> channel, bool moving) {
    std::optional<Ticket> ticket;
    {
        std::lock_guard lock(mutex_);
        ticket = std::exchange(ticket_, std::nullopt);  // single use, whatever comes of it
    }
    if (!ticket || ended_) return false;
    {
        std::lock_guard lock(held_mutex_);
        logged_in_ = false;
    }
    // The old channel is closed: none of its callbacks runs past this, so the
    // patch stream of the new path starts afresh without a race.
    ++path_;
    this->channel()->close(moving ? "moved to another path" : "path lost");
    const uint64_t media_dropped = this->channel()->media_records_dropped();
    patch_stream_.reset();
    last_patch_us_ = 0;
    need_keyframe_ = true;
    started_ = std::chrono::steady_clock::now();
    last_heard_ = started_.load();
    proto::SessionMessage request;
    request.mutable_resume_request()->set_ticket_id(ticket->id);
    const auto proof = resume_proof(ticket->key, *channel);
    request.mutable_resume_request()->set_proof(std::string(proof.begin(), proof.end()));
    request.mutable_resume_request()->set_moving(moving);
    {
        std::lock_guard lock(mutex_);
        ++(moving ? report_.moved : report_.resumed);
        report_.media_records_dropped += media_dropped;
    }
    path_lost_ = false;
    spdlog::info(moving ? "viewer: moving the session to a better path" : "viewer: resuming the session on a new path");
    open(std::move(channel), request);
    return true;
}

void Viewer::send(const proto::SessionMessage& message) { channel()->send(encode(message).bytes()); }

bool Viewer::send_permitted(const proto::SessionMessage& message, uint32_t permission, uint64_t ViewerReport::*sent) {
    if (ended_ || !(granted_ & permission)) return false;
    {
        std::lock_guard lock(held_mutex_);
        if (!logged_in_) {
            // A new path waits for the host's admission, which drops anything before it: held, in order.
            if (held_.size() >= kMaxHeldMessages) return false;
            held_.push_back(message);
        } else {
            try {
                send(message);
            } catch (const PluginError&) {
                return false;  // closed meanwhile: the decode thread reports why
            }
        }
    }
    std::lock_guard lock(mutex_);
    ++(report_.*sent);
    return true;
}

bool Viewer::send_input(const proto::InputEvent& event) {
    proto::SessionMessage message;
    *message.mutable_input() = event;
    return send_permitted(message, kInput, &ViewerReport::input_sent);
}

bool Viewer::switch_codec(const std::string& codec) {
    proto::SessionMessage message;
    message.mutable_switch_codec()->set_codec(codec);
    return send_permitted(message, kView, &ViewerReport::codec_requests);
}

void Viewer::take_codec(const std::string& codec) {
    if (decoder_ && decoder_->codec() == codec) return;
    const auto decodes = [&](const Factory* f) { return codec == f->table<tether_decoder_vtable>().codec; };
    const auto found = std::find_if(options_.decoders.begin(), options_.decoders.end(), decodes);
    if (found == options_.decoders.end()) throw PluginError("host chose " + codec + ", which no decoder here handles");
    const bool switched = decoder_ != nullptr;
    decoder_.reset();  // one decoder's memory at a time
    decoder_ = std::make_unique<Decoder>(**found, options_.decode_threads);
    std::lock_guard lock(mutex_);
    report_.codec = codec;
    if (switched) ++report_.codec_switches;
}

bool Viewer::show_monitor(uint32_t monitor) {
    proto::SessionMessage message;
    message.mutable_show_monitor()->set_monitor(monitor);
    return send_permitted(message, kView, &ViewerReport::monitor_requests);
}

bool Viewer::send_clipboard(proto::ClipboardText::Selection selection, const std::string& text) {
    if (text.size() > kMaxClipboardBytes) return false;
    proto::SessionMessage message;
    message.mutable_clipboard()->set_selection(selection);
    message.mutable_clipboard()->set_text(text);
    return send_permitted(message, kClipboard, &ViewerReport::clipboard_sent);
}

Viewer::~Viewer() { stop("viewer closed"); }

void Viewer::stop(const std::string& reason) {
    if (!ended_.exchange(true)) {
        {
            // Before the goodbye: the host's close that answers it must not become the reason.
            std::lock_guard lock(mutex_);
            if (report_.end_reason.empty()) report_.end_reason = reason;
            if (report_.end_us == 0) report_.end_us = now_us();
        }
        try {
            send(goodbye(reason));
        } catch (const std::exception&) {
            // the host is already gone
        }
    }
    inbound_.close();
    if (thread_.joinable()) thread_.join();
    channel()->close(reason);
}

ViewerReport Viewer::report() const {
    // Before mutex_: the channel's thread holds its own lock when it takes ours.
    const uint64_t media_dropped = channel()->media_records_dropped();
    std::lock_guard lock(mutex_);
    ViewerReport r = report_;
    r.media_records_dropped += media_dropped;
    r.latencies_us = latencies_us_;
    r.frame_numbers = frame_numbers_;
    if (r.last_frame_us != 0) r.max_gap_us = std::max(r.max_gap_us, (r.end_us ? r.end_us : now_us()) - r.last_frame_us);
    return r;
}

ViewerReport Viewer::counters() const {
    std::lock_guard lock(mutex_);
    return report_;
}

std::optional<VideoFrame> Viewer::last_frame() const {
    std::lock_guard lock(mutex_);
    return last_frame_;
}

void Viewer::on_message(std::span<const uint8_t> bytes, uint64_t path) {
    last_heard_ = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        report_.bytes_received += bytes.size();
    }
    std::string error;
    auto message = decode(bytes, error);
    if (!message) {
        inbound_.push(Inbound{{}, "protocol error: " + error});
        return;
    }
    Inbound in{std::move(*message), std::nullopt, bytes.size()};
    in.path = path;
    if (in.message.has_video_frame()) {
        const proto::VideoFrame& frame = in.message.video_frame();
        path_meter_.picture(path, frame.sequence(), frame.capture_time_us() + frame.send_delay_us(), now_us(),
                            bytes.size());
    } else if (in.message.has_screen_patch()) {
        path_meter_.patch(bytes.size());
    }
    if (in.message.has_screen_patch()) {
        // Decompressed here, in the order they came: the decode thread's queue may drop a patch as it drops a picture.
        const proto::ScreenPatch& patch = in.message.screen_patch();
        // Unsigned: a hostile delta wraps, as a time it is only wrong.
        last_patch_us_ = static_cast<int64_t>(static_cast<uint64_t>(last_patch_us_) +
                                              static_cast<uint64_t>(patch.capture_time_delta_us()));
        in.capture_time_us = last_patch_us_;
        const bool deflated = patch.data_case() == proto::ScreenPatch::kDeflated;
        const std::string& data = deflated ? patch.deflated() : patch.zstd();
        try {
            if (!patch_stream_) patch_stream_.emplace();
            in.patch = patch_stream_->decompress(deflated ? patch::Codec::Deflate : patch::Codec::Zstd,
                                                 {reinterpret_cast<const uint8_t*>(data.data()), data.size()}, patch::kMostBytes);
        } catch (const patch::StreamError& e) {
            inbound_.push(Inbound{{}, std::string("protocol error: ") + e.what()});
            return;
        }
        in.bytes += in.patch.size();
    }
    const int64_t dropped = inbound_.push(std::move(in));
    if (dropped > 0) {
        need_keyframe_ = true;
        std::lock_guard lock(mutex_);
        report_.skipped += static_cast<uint64_t>(dropped);
    }
    if (dropped < 0 && !inbound_.closed()) finish("host floods control messages");
}

void Viewer::finish(const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        if (report_.end_reason.empty()) report_.end_reason = reason;
        if (report_.end_us == 0) report_.end_us = now_us();
    }
    spdlog::info("viewer: {}", reason);
    ended_ = true;
    channel()->close(reason);
    inbound_.close();
    changed();
}

void Viewer::changed() const {
    if (options_.on_change) options_.on_change();
}

void Viewer::decode_loop() {
    while (!ended_) {
        send_stats_when_due();
        auto in = inbound_.pop(100ms);
        if (!in) {
            check_deadlines();
            chase_missing();
            continue;
        }
        if (in->closed) {
            if (resumable()) {
                path_lost_ = true;
                spdlog::info("viewer: the path to the host dropped ({}); the session may resume", *in->closed);
                changed();
                continue;
            }
            finish(*in->closed);
            break;
        }
        try {
            handle(*in);
        } catch (const std::exception& e) {
            finish(e.what());
        }
    }
}

std::chrono::seconds Viewer::resume_window() const {
    std::lock_guard lock(mutex_);
    return ticket_ ? ticket_->window : std::chrono::seconds(0);
}

bool Viewer::resumable() const {
    std::lock_guard lock(mutex_);
    return logged_in_ && ticket_.has_value() && !ended_;
}

void Viewer::send_stats_when_due() {
    const auto now = std::chrono::steady_clock::now();
    if (!logged_in_ || now - stats_sent_at_ < kStatsEvery) return;
    stats_sent_at_ = now;
    proto::SessionMessage message;
    auto* stats = message.mutable_stats();
    uint64_t lost = 0;
    {
        std::lock_guard lock(mutex_);
        stats->set_frames_decoded(report_.frames);
        stats->set_frames_dropped(report_.skipped);
        stats->set_bytes_received(report_.bytes_received);
        lost = report_.frames_lost;
    }
    const congestion::PathReport path = path_meter_.take(now, lost);
    stats->set_interval_us(static_cast<uint32_t>(std::min<int64_t>(path.interval.count(), UINT32_MAX)));
    stats->set_media_bytes(path.bytes);
    stats->set_pictures(path.pictures);
    stats->set_lost(path.lost);
    stats->set_delay_slope_ms_per_s(static_cast<float>(path.delay_slope_ms_per_s));
    stats->set_queue_delay_us(static_cast<uint32_t>(std::min<int64_t>(path.queue_delay.count(), UINT32_MAX)));
    stats->set_newest_sequence(path.newest_sequence);
    try {
        send(message);
    } catch (const PluginError&) {
        // closed meanwhile: the loop hears why
    }
}

void Viewer::check_deadlines() {
    const auto now = std::chrono::steady_clock::now();
    if (path_lost_) return;  // the caller decides how long to look for a new path
    // A big picture on a thin path takes a while to arrive whole: its bytes coming in are the host heard.
    if (const std::optional<uint64_t> received = channel()->received_bytes(); received && *received != received_seen_) {
        received_seen_ = *received;
        last_heard_ = now;
    }
    if (logged_in_ && now - last_heard_.load() >= options_.host_silence) {
        // The host sends at least a keepalive twice a second: this path is gone, whatever TCP thinks.
        channel()->close("nothing from the host for " + duration_text(options_.host_silence));
        return;
    }
    if (!logged_in_ && now - started_.load() >= options_.login_answer_timeout)
        finish("the host did not answer the login within " + duration_text(options_.login_answer_timeout));
    else if (logged_in_ && !decoder_ && now - logged_in_at_ >= options_.hello_timeout)
        finish("the host sent no hello within " + duration_text(options_.hello_timeout) + " of the login");
}

void Viewer::handle(const Inbound& in) {
    const proto::SessionMessage& message = in.message;
    switch (message.body_case()) {
    case proto::SessionMessage::kLoginResponse: {
        const auto& r = message.login_response();
        if (!r.ok()) {
            std::string reason = "login refused: " + r.reason();
            if (r.retry_after_ms() > 0) reason += " (retry in " + std::to_string(r.retry_after_ms()) + " ms)";
            finish(reason);
            break;
        }
        logged_in_at_ = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            report_.logged_in = true;
            report_.permissions = r.permissions();
        }
        // Never more than was asked for, whatever the host says.
        granted_ = r.permissions() & options_.permissions;
        {
            std::lock_guard lock(held_mutex_);
            logged_in_ = true;
            for (const auto& held : held_) {
                try {
                    send(held);
                } catch (const PluginError&) {
                    break;  // closed meanwhile: the decode thread reports why
                }
            }
            held_.clear();
        }
        if (options_.monitor != 0) show_monitor(options_.monitor);
        changed();
        break;
    }
    case proto::SessionMessage::kHello: {
        if (!logged_in_) throw PluginError("protocol error: hello before login");
        const auto& hello = message.hello();
        take_codec(hello.codec());
        if (!options_.codec.empty() && options_.codec != hello.codec()) switch_codec(options_.codec);
        {
            std::lock_guard lock(mutex_);
            report_.width = hello.width();
            report_.height = hello.height();
            report_.screen = {hello.width(), hello.height()};
        }
        changed();
        break;
    }
    case proto::SessionMessage::kVideoFrame: on_video(message.video_frame(), in.path); break;
    case proto::SessionMessage::kKeepalive: break;  // heard: that is all it is for
    case proto::SessionMessage::kResumeTicket: {
        if (!logged_in_) throw PluginError("protocol error: resume ticket before login");
        const std::string& id = message.resume_ticket().ticket_id();
        const auto key = resume_key(*channel(), id);
        std::lock_guard lock(mutex_);
        ticket_ = Ticket{id, key, std::chrono::seconds(message.resume_ticket().window_s())};
        break;
    }
    case proto::SessionMessage::kScreenPatch: on_patch(in.patch, in.capture_time_us); break;
    case proto::SessionMessage::kGoodbye: {
        {
            std::lock_guard lock(mutex_);
            report_.host_goodbye = message.goodbye().reason();
        }
        finish("host said goodbye: " + message.goodbye().reason());
        break;
    }
    case proto::SessionMessage::kClipboard:
        // Text nobody asked for is dropped: a host cannot fill a clipboard the user kept from it.
        if ((granted_ & kClipboard) && options_.on_clipboard) options_.on_clipboard(message.clipboard());
        break;
    case proto::SessionMessage::kCursorShape:
        if (!logged_in_) throw PluginError("protocol error: cursor before login");
        if (options_.on_cursor_shape) options_.on_cursor_shape(message.cursor_shape());
        break;
    case proto::SessionMessage::kCursorPosition:
        if (!logged_in_) throw PluginError("protocol error: cursor before login");
        if (options_.on_cursor_position) options_.on_cursor_position(message.cursor_position());
        break;
    case proto::SessionMessage::kMonitors: {
        if (!logged_in_) throw PluginError("protocol error: monitors before login");
        {
            std::lock_guard lock(mutex_);
            report_.monitors = static_cast<uint32_t>(message.monitors().monitors_size());
            report_.monitor_shown = message.monitors().shown();
        }
        if (options_.on_monitors) options_.on_monitors(message.monitors());
        changed();
        break;
    }
    default: finish("protocol error: unexpected message from host"); break;
    }
}

void Viewer::request_keyframe(const std::string& reason) {
    need_keyframe_ = true;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_keyframe_request_ < kKeyframeRetry) return;
    last_keyframe_request_ = now;
    proto::SessionMessage request;
    request.mutable_keyframe_request()->set_reason(reason);
    send(request);
    std::lock_guard lock(mutex_);
    ++report_.keyframe_requests;
}

void Viewer::on_video(const proto::VideoFrame& frame, uint64_t path) {
    if (path != order_path_) {
        order_.reset();  // a new path: its pictures count from 1
        order_path_ = path;
        asked_.reset();
    }
    for (const proto::VideoFrame& next : order_.arrive(frame, std::chrono::steady_clock::now())) show(next);
    chase_missing();
    changed();
}

void Viewer::chase_missing() {
    // A gap of a path the session left is moot, and nothing but the admission goes on a new path before it is admitted.
    if (order_path_ != path_ || !logged_in_) return;
    const std::optional<PictureOrder::Gap> gap = order_.gap();
    if (!gap) return;
    if (gap != asked_) {
        asked_ = gap;
        proto::SessionMessage request;
        request.mutable_resend_request()->set_after(gap->after);
        request.mutable_resend_request()->set_through(gap->through);
        try {
            send(request);
        } catch (const PluginError&) {
            return;  // closed meanwhile: the loop hears why
        }
        std::lock_guard lock(mutex_);
        ++report_.resend_requests;
        return;
    }
    // Sent again on a lane that retransmits, they come within a few round trips, or not at all.
    if (std::chrono::steady_clock::now() - order_.gap_since() < kResendPatience) return;
    const size_t lost = order_.give_up();
    asked_.reset();
    {
        std::lock_guard lock(mutex_);
        report_.frames_lost += lost;
    }
    request_keyframe("missed pictures not sent again");
}

void Viewer::show(const proto::VideoFrame& frame) {
    if (frame.keyframe()) {
        if (!frame.codec().empty()) take_codec(frame.codec());
        std::lock_guard lock(mutex_);
        ++report_.keyframes;
    }
    if (!options_.decode) {
        std::lock_guard lock(mutex_);
        record(stamp::Stamp{frame.frame_number(), frame.capture_time_us()}, now_us());
        return;
    }
    if (!decoder_) throw PluginError("protocol error: video before hello");
    if (need_keyframe_ && !frame.keyframe()) {
        // Undecodable until the next keyframe, which the host may not know it owes.
        {
            std::lock_guard lock(mutex_);
            ++report_.skipped;
        }
        return request_keyframe("missed pictures");
    }
    need_keyframe_ = false;
    EncodedPacket packet;
    packet.data = BufferRef::copy_of({reinterpret_cast<const uint8_t*>(frame.data().data()), frame.data().size()});
    packet.flags = frame.keyframe() ? TETHER_PACKET_KEYFRAME : 0;
    packet.frame_number = frame.frame_number();
    packet.capture_time_us = frame.capture_time_us();
    packet.width = frame.width();
    packet.height = frame.height();
    screen_ = frame.screen_width() != 0 ? Screen{frame.screen_width(), frame.screen_height()}
                                        : Screen{frame.width(), frame.height()};
    try {
        decoder_->decode(packet, [this](const tether_video_frame& picture) { on_picture(picture); });
    } catch (const PluginError& e) {
        spdlog::warn("viewer: {}", e.what());
        {
            std::lock_guard lock(mutex_);
            ++report_.decode_errors;
        }
        request_keyframe("decode error");
    }
}

void Viewer::on_picture(const tether_video_frame& picture) {
    if (picture.format == TETHER_PIXEL_I420) {
        // The picture patches paint on (the decoder's own is valid only during this call).
        if (!canvas_ || canvas_->width() != picture.width || canvas_->height() != picture.height)
            canvas_ = VideoFrame::allocate_i420(picture.width, picture.height);
        copy_i420(picture, *canvas_);
    } else {
        canvas_.reset();
    }
    present(picture);
}

void Viewer::on_patch(const std::vector<uint8_t>& patch, int64_t capture_time_us) {
    if (!logged_in_) throw PluginError("protocol error: a screen patch before login");
    if (!options_.decode) {
        std::lock_guard lock(mutex_);
        ++report_.patches;
        record(std::nullopt, now_us());
        return;
    }
    if (need_keyframe_ || !canvas_) {
        {
            std::lock_guard lock(mutex_);
            ++report_.skipped;
        }
        return request_keyframe("missed pictures");
    }
    try {
        patch::apply(patch, canvas_->raw);
    } catch (const patch::PatchError& e) {
        spdlog::warn("viewer: {}", e.what());
        {
            std::lock_guard lock(mutex_);
            ++report_.decode_errors;
        }
        return request_keyframe("bad screen patch");
    }
    canvas_->raw.capture_time_us = capture_time_us;
    {
        std::lock_guard lock(mutex_);
        ++report_.patches;
    }
    present(canvas_->raw);
    changed();
}

void Viewer::present(const tether_video_frame& picture) {
    const int64_t decoded_at = now_us();
    // A screen that does not hold the picture (a decoder's size, not the frame's) is the picture's own.
    const Screen screen = screen_.width >= picture.width && screen_.height >= picture.height
                              ? screen_
                              : Screen{picture.width, picture.height};
    const auto stamp = stamp::read(picture.planes[0], picture.strides[0], picture.width, picture.height, screen.width);
    if (options_.on_picture && picture.format == TETHER_PIXEL_I420)
        options_.on_picture(picture, screen, decoded_at - (stamp ? stamp->capture_time_us : picture.capture_time_us));
    std::lock_guard lock(mutex_);
    record(stamp, decoded_at);
    report_.screen = screen;
    if (report_.sizes.empty() || picture.width != report_.width || picture.height != report_.height) {
        // The first picture, the host's capture changed size, or a thin path has it coded smaller
        // (its next keyframe came at the new size).
        report_.width = picture.width;
        report_.height = picture.height;
        if (report_.sizes.size() < kMaxSizesKept) report_.sizes.emplace_back(picture.width, picture.height);
    }
    if (options_.keep_last_frame && picture.format == TETHER_PIXEL_I420) {
        if (!last_frame_ || last_frame_->width() != picture.width || last_frame_->height() != picture.height)
            last_frame_ = VideoFrame::allocate_i420(picture.width, picture.height);
        copy_i420(picture, *last_frame_);
        last_frame_->raw.frame_number = stamp ? stamp->frame_number : 0;
    }
}

void Viewer::record(const std::optional<stamp::Stamp>& stamp, int64_t at_us) {
    ++report_.frames;
    if (report_.first_frame_us == 0) report_.first_frame_us = at_us;
    if (report_.last_frame_us != 0) report_.max_gap_us = std::max(report_.max_gap_us, at_us - report_.last_frame_us);
    if (std::exchange(move_under_way_, false) && report_.last_frame_us != 0)
        report_.move_gap_us = std::max(report_.move_gap_us, at_us - report_.last_frame_us);
    report_.last_frame_us = at_us;
    if (!stamp) {
        ++report_.unreadable;
    } else {
        if (!frame_numbers_.empty()) {
            const uint64_t previous = frame_numbers_.back();
            if (stamp->frame_number <= previous)
                ++report_.out_of_order;
            else
                report_.missing += stamp->frame_number - previous - 1;
        }
        // A long session keeps the latest pictures' numbers: memory stays bounded.
        if (frame_numbers_.size() >= options_.per_picture_kept) {
            const auto half = static_cast<std::ptrdiff_t>(frame_numbers_.size() / 2);
            frame_numbers_.erase(frame_numbers_.begin(), frame_numbers_.begin() + half);
            latencies_us_.erase(latencies_us_.begin(), latencies_us_.begin() + half);
        }
        frame_numbers_.push_back(stamp->frame_number);
        latencies_us_.push_back(at_us - stamp->capture_time_us);
    }
}

}  // namespace tether::session
