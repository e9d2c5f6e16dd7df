#include "host_session.h"

#include "protocol.h"
#include "core/version.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
constexpr auto kHelloTimeout = 10s;
// Encoded pictures a session may have waiting; one more means it fell behind.
constexpr size_t kSessionWindow = 4;
// Bytes the transport may hold unsent before pictures are skipped (about a
// second of 1080p video): beyond it latency grows without bound.
constexpr size_t kMaxUnsentBytes = 1u << 20;

}  // namespace

HostSession::HostSession(std::unique_ptr<Connection> connection, VideoService& video, std::string peer)
    : connection_(std::move(connection)), video_(video), peer_(std::move(peer)) {
    connection_->start([this](std::span<const uint8_t> bytes) { on_message(bytes); },
                       [this](const std::string& reason) {
                           if (!ended_.exchange(true)) spdlog::info("session {}: {}", peer_, reason);
                           hello_.close();
                       });
    thread_ = std::thread([this] { run(); });
}

HostSession::~HostSession() {
    end("host shutting down");
    if (thread_.joinable()) thread_.join();
    connection_->close();
}

HostSessionCounters HostSession::counters() const { return {frames_sent_, frames_skipped_, bytes_sent_}; }

void HostSession::end(const std::string& reason) { close_with(reason, true); }

void HostSession::close_with(const std::string& reason, bool tell_peer) {
    if (ended_.exchange(true)) return;
    spdlog::info("session {} ended: {}", peer_, reason);
    if (tell_peer) {
        try {
            connection_->send(encode(goodbye(reason)));
        } catch (const std::exception&) {
            // the peer is already gone; nothing more to tell it
        }
    }
    hello_.close();
}

void HostSession::on_message(std::span<const uint8_t> bytes) {
    std::string error;
    auto message = decode(bytes, error);
    if (!message) {
        close_with("protocol error: " + error, true);
        return;
    }
    switch (message->body_case()) {
    case proto::SessionMessage::kHello: hello_.push(message->hello()); break;
    case proto::SessionMessage::kKeyframeRequest:
        need_keyframe_ = true;
        video_.request_keyframe();
        break;
    case proto::SessionMessage::kGoodbye: close_with("viewer said goodbye: " + message->goodbye().reason(), false); break;
    case proto::SessionMessage::kStats: break;
    default: close_with("protocol error: unexpected message from viewer", true); break;
    }
}

void HostSession::run() {
    if (greet()) stream();
}

bool HostSession::greet() {
    auto hello = hello_.pop(std::chrono::duration_cast<std::chrono::milliseconds>(kHelloTimeout));
    if (!hello) {
        close_with("no hello from viewer", true);
        return false;
    }
    if (hello->protocol_version() != kProtocolVersion) {
        close_with("protocol version " + std::to_string(hello->protocol_version()) + " not supported (host speaks " +
                       std::to_string(kProtocolVersion) + ")",
                   true);
        return false;
    }
    const std::string codec = video_.codec();
    const auto& decoders = hello->decoders();
    if (std::find(decoders.begin(), decoders.end(), codec) == decoders.end()) {
        close_with("viewer cannot decode " + codec, true);
        return false;
    }
    proto::SessionMessage reply;
    auto* h = reply.mutable_hello();
    h->set_protocol_version(kProtocolVersion);
    h->set_app_version(kAppVersion);
    h->set_codec(codec);
    h->set_width(video_.width());
    h->set_height(video_.height());
    connection_->send(encode(reply));
    spdlog::info("session {}: streaming {} {}x{} to {}", peer_, codec, video_.width(), video_.height(),
                 hello->app_version());
    return true;
}

void HostSession::stream() {
    auto feed = video_.subscribe(Delivery::window(kSessionWindow), [this](uint64_t) {
        need_keyframe_ = true;
        video_.request_keyframe();
    });
    proto::SessionMessage message;
    while (!ended_) {
        auto packet = feed->next(100ms);
        if (!packet) continue;
        if (need_keyframe_ && !packet->keyframe()) {
            ++frames_skipped_;
            continue;
        }
        if (connection_->pending_bytes() > kMaxUnsentBytes) {
            ++frames_skipped_;
            need_keyframe_ = true;
            video_.request_keyframe();
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
        BufferRef bytes = encode(message);
        try {
            connection_->send(bytes);
        } catch (const std::exception& e) {
            close_with(e.what(), false);
            break;
        }
        ++frames_sent_;
        bytes_sent_ += bytes.size();
    }
}

}  // namespace tether::session
