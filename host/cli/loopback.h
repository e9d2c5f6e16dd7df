// A host and a viewer in one process, joined by a real transport on
// 127.0.0.1 and the same encrypted, logged-in session a remote viewer gets:
// what `tether demo` shows and `tether bench` measures.
#pragma once

#include "core/bus.h"
#include "net/secure_channel.h"
#include "pipeline/video_service.h"
#include "session/permissions.h"
#include "session/viewer.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tether::cli {

struct LoopbackOptions {
    VideoServiceOptions video;
    const Factory* transport = nullptr;
    session::ViewerOptions viewer;  // password and permissions are filled in by the run
    net::ChannelOptions channel;    // both ends
    // Run this long; unset: until a finite source ends and the viewer has every picture.
    std::optional<std::chrono::milliseconds> duration;
    uint32_t permissions = session::kView;  // the viewer's
    std::vector<const Factory*> services;   // the host's (session/service_host.h)
    // Set: runs on this thread with the logged-in viewer and the host's address,
    // instead of the wait above; the run ends when it returns.
    std::function<void(session::Viewer&, const std::string& host_address)> drive;
};

struct LoopbackResult {
    session::ViewerReport viewer;
    VideoCounters video;
    std::string codec;
    std::string transport;
    std::string cipher;
    uint32_t width = 0;
    uint32_t height = 0;
    double seconds = 0;      // wall time from start to stop
    double cpu_seconds = 0;  // this process, over the same span
    std::optional<VideoFrame> last_frame;
    std::string error;  // why the run ended early, if it did
};

LoopbackResult run_loopback(LoopbackOptions options);

}  // namespace tether::cli
