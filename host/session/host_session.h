// The host's side of one viewer session: greets the viewer, then streams the
// shared encoder's pictures to it. A session that cannot keep up loses
// pictures alone and resumes at the next keyframe; it never slows the others.
#pragma once

#include "core/mailbox.h"
#include "core/plugin_objects.h"
#include "pipeline/video_service.h"
#include "session.pb.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace tether::session {

struct HostSessionCounters {
    uint64_t frames_sent = 0;
    uint64_t frames_skipped = 0;  // pictures this session dropped before a keyframe
    uint64_t bytes_sent = 0;
};

class HostSession {
public:
    HostSession(std::unique_ptr<Connection> connection, VideoService& video, std::string peer);
    ~HostSession();
    HostSession(const HostSession&) = delete;
    HostSession& operator=(const HostSession&) = delete;

    bool ended() const { return ended_; }
    HostSessionCounters counters() const;
    void end(const std::string& reason);  // says goodbye and closes

private:
    void on_message(std::span<const uint8_t> bytes);  // transport thread
    void run();
    bool greet();
    void stream();
    void close_with(const std::string& reason, bool tell_peer);

    std::unique_ptr<Connection> connection_;
    VideoService& video_;
    const std::string peer_;
    Mailbox<proto::Hello> hello_{1, Overflow::DropOldest};
    std::atomic<bool> ended_{false};
    std::atomic<bool> need_keyframe_{true};
    std::atomic<uint64_t> frames_sent_{0};
    std::atomic<uint64_t> frames_skipped_{0};
    std::atomic<uint64_t> bytes_sent_{0};
    std::thread thread_;
};

}  // namespace tether::session
