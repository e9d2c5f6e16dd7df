#include "host_session.h"

#include "core/version.h"
#include "protocol.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
constexpr auto kGreetingTimeout = 10s;
// Encoded pictures a session may have waiting; one more means it fell behind.
constexpr size_t kSessionWindow = 4;
// Bytes the transport may hold unsent before pictures are skipped (about a
// second of 1080p video): beyond it latency grows without bound.
constexpr size_t kMaxUnsentBytes = 1u << 20;

}  // namespace

HostSession::HostSession(std::unique_ptr<Connection> connection, HostContext& context, std::string peer)
    : context_(context), pending_connection_(std::move(connection)) {
    report_.peer = std::move(peer);
    thread_ = std::thread([this] { run(); });
}

HostSession::~HostSession() {
    end("host shutting down");
    if (thread_.joinable()) thread_.join();
}

HostSessionReport HostSession::report() const {
    std::lock_guard lock(mutex_);
    return report_;
}

void HostSession::end(const std::string& reason) { close_with(reason, true); }

void HostSession::close_with(const std::string& reason, bool tell_peer) {
    net::SecureChannel* channel = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (!report_.end_reason.empty()) return;
        report_.end_reason = reason;
        channel = channel_.get();  // null during the handshake, which then gives up on its own
    }
    ended_ = true;
    spdlog::info("session {} ended: {}", report_.peer, reason);
    greeting_.close();
    if (channel == nullptr) return;
    if (tell_peer) {
        try {
            channel->send(encode(goodbye(reason)).bytes());
        } catch (const std::exception&) {
            // the viewer is already gone
        }
    }
    channel->close(reason);
}

void HostSession::send(const proto::SessionMessage& message) { channel_->send(encode(message).bytes()); }

void HostSession::run() {
    try {
        if (secure(std::move(pending_connection_)) && log_in()) stream();
    } catch (const std::exception& e) {
        close_with(e.what(), true);
    }
}

bool HostSession::secure(std::unique_ptr<Connection> connection) {
    std::unique_ptr<net::SecureChannel> channel;
    try {
        channel = net::SecureChannel::accept(std::move(connection), context_.identity, context_.channel);
    } catch (const net::HandshakeError& e) {
        close_with(std::string("handshake failed: ") + e.what(), false);
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        report_.cipher = net::cipher_name(channel->cipher());
        channel_ = std::move(channel);
        if (!report_.end_reason.empty()) return false;  // ended while the handshake ran
    }
    channel_->start([this](std::span<const uint8_t> bytes) { on_message(bytes); },
                    [this](const std::string& reason) { close_with(reason, false); });
    return !ended_;
}

bool HostSession::log_in() {
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kGreetingTimeout);
    auto hello = greeting_.pop(timeout);
    auto login = greeting_.pop(timeout);
    if (!hello || !login || !hello->has_hello() || !login->has_login_request()) {
        close_with(ended_ ? "viewer left before logging in" : "expected hello and login from the viewer", true);
        return false;
    }
    if (hello->hello().protocol_version() != kProtocolVersion) {
        close_with("protocol version " + std::to_string(hello->hello().protocol_version()) +
                       " not supported (host speaks " + std::to_string(kProtocolVersion) + ")",
                   true);
        return false;
    }
    const auto& request = login->login_request();
    const LoginDecision decision = context_.authenticator.login({report_.peer, request.password(), request.permissions()});
    proto::SessionMessage response;
    auto* r = response.mutable_login_response();
    r->set_ok(decision.ok);
    r->set_permissions(decision.granted);
    r->set_reason(decision.reason);
    r->set_retry_after_ms(decision.retry_after_ms);
    send(response);
    if (!decision.ok) {
        close_with("login refused: " + decision.reason, false);
        return false;
    }
    permissions_ = decision.granted;
    {
        std::lock_guard lock(mutex_);
        report_.permissions = decision.granted;
    }
    logged_in_ = true;

    const std::string codec = context_.video.codec();
    const auto& decoders = hello->hello().decoders();
    if ((decision.granted & kView) && std::find(decoders.begin(), decoders.end(), codec) == decoders.end()) {
        close_with("viewer cannot decode " + codec, true);
        return false;
    }
    proto::SessionMessage reply;
    auto* h = reply.mutable_hello();
    h->set_protocol_version(kProtocolVersion);
    h->set_app_version(kAppVersion);
    h->set_codec(codec);
    h->set_width(context_.video.width());
    h->set_height(context_.video.height());
    send(reply);
    spdlog::info("session {}: {} {}x{} to {}, {}", report_.peer, codec, context_.video.width(), context_.video.height(),
                 hello->hello().app_version(), format_permissions(decision.granted));
    return true;
}

void HostSession::on_message(std::span<const uint8_t> bytes) {
    std::string error;
    auto message = decode(bytes, error);
    if (!message) {
        close_with("protocol error: " + error, true);
        return;
    }
    const auto body = message->body_case();
    if (body == proto::SessionMessage::kGoodbye) {
        close_with("viewer said goodbye: " + message->goodbye().reason(), false);
        return;
    }
    if (!logged_in_) {
        // Before login only the greeting is allowed.
        if (body != proto::SessionMessage::kHello && body != proto::SessionMessage::kLoginRequest) {
            close_with("protocol error: message before login", true);
            return;
        }
        greeting_.push(std::move(*message));
        return;
    }
    switch (body) {
    case proto::SessionMessage::kKeyframeRequest:
        if (permissions_ & kView) {
            need_keyframe_ = true;
            context_.video.request_keyframe();
        }
        break;
    case proto::SessionMessage::kInput: on_input(message->input()); break;
    case proto::SessionMessage::kStats: break;
    default: close_with("protocol error: unexpected message from viewer", true); break;
    }
}

void HostSession::on_input(const proto::InputEvent& event) {
    if (!(permissions_ & kInput)) {
        std::lock_guard lock(mutex_);
        // Logged once per session: a flood must not flood the log too.
        if (report_.input_refused++ == 0) spdlog::warn("session {}: input refused, the session may only view", report_.peer);
        return;
    }
    context_.bus.topic<proto::InputEvent>("input")->publish(event);
    std::lock_guard lock(mutex_);
    ++report_.input_accepted;
}

void HostSession::stream() {
    if (!(permissions_ & kView)) {
        while (!ended_) std::this_thread::sleep_for(100ms);
        return;
    }
    auto feed = context_.video.subscribe(Delivery::window(kSessionWindow), [this](uint64_t) {
        need_keyframe_ = true;
        context_.video.request_keyframe();
    });
    proto::SessionMessage message;
    while (!ended_) {
        auto packet = feed->next(100ms);
        if (!packet) continue;
        bool skip = need_keyframe_ && !packet->keyframe();
        if (!skip && channel_->pending_bytes() > kMaxUnsentBytes) {
            skip = true;
            need_keyframe_ = true;
            context_.video.request_keyframe();
        }
        if (skip) {
            std::lock_guard lock(mutex_);
            ++report_.frames_skipped;
            continue;
        }
        if (packet->keyframe()) need_keyframe_ = false;
        auto* frame = message.mutable_video_frame();
        frame->set_frame_number(packet->frame_number);
        frame->set_capture_time_us(packet->capture_time_us);
        frame->set_keyframe(packet->keyframe());
        frame->set_width(packet->width);
        frame->set_height(packet->height);
        frame->set_data(packet->data.data(), packet->data.size());
        const BufferRef bytes = encode(message);
        try {
            channel_->send(bytes.bytes());
        } catch (const std::exception& e) {
            close_with(e.what(), false);
            break;
        }
        std::lock_guard lock(mutex_);
        ++report_.frames_sent;
        report_.bytes_sent += bytes.size();
    }
}

}  // namespace tether::session
