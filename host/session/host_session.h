// The host's side of one viewer session: the encrypted handshake, login,
// then the shared encoder's pictures. Every message from the viewer is
// checked against what the session was granted. A session that cannot keep
// up loses pictures alone and resumes at the next keyframe.
#pragma once

#include "authenticator.h"
#include "core/bus.h"
#include "core/mailbox.h"
#include "net/secure_channel.h"
#include "pipeline/video_service.h"
#include "session.pb.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tether::session {

// What every session on a host shares.
struct HostContext {
    VideoService& video;
    Bus& bus;  // publishes permitted input on "input"
    const security::Identity& identity;
    Authenticator& authenticator;
    net::ChannelOptions channel;
};

struct HostSessionReport {
    std::string peer;
    std::string cipher;
    uint32_t permissions = 0;
    uint64_t frames_sent = 0;
    uint64_t frames_skipped = 0;  // pictures dropped before a keyframe
    uint64_t bytes_sent = 0;
    uint64_t input_accepted = 0;
    uint64_t input_refused = 0;  // input without the input permission
    std::string end_reason;      // empty while it runs
};

class HostSession {
public:
    HostSession(std::unique_ptr<Connection> connection, HostContext& context, std::string peer);
    ~HostSession();
    HostSession(const HostSession&) = delete;
    HostSession& operator=(const HostSession&) = delete;

    bool ended() const { return ended_; }
    HostSessionReport report() const;
    void end(const std::string& reason);  // says goodbye and closes

private:
    void run();
    bool secure(std::unique_ptr<Connection> connection);
    bool log_in();
    void stream();
    void on_message(std::span<const uint8_t> bytes);  // transport thread
    void on_input(const proto::InputEvent& event);
    void send(const proto::SessionMessage& message);
    void close_with(const std::string& reason, bool tell_peer);

    HostContext& context_;
    std::unique_ptr<Connection> pending_connection_;  // until the handshake takes it
    std::unique_ptr<net::SecureChannel> channel_;
    Mailbox<proto::SessionMessage> greeting_{2, Overflow::DropOldest};  // Hello and LoginRequest
    std::atomic<bool> ended_{false};
    std::atomic<bool> logged_in_{false};
    std::atomic<uint32_t> permissions_{0};
    std::atomic<bool> need_keyframe_{true};
    mutable std::mutex mutex_;
    HostSessionReport report_;
    std::thread thread_;
};

}  // namespace tether::session
