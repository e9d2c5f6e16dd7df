// Accepts viewers on a transport and runs a HostSession for each.
#pragma once

#include "host_session.h"

#include <list>
#include <memory>
#include <mutex>

namespace tether::session {

class HostServer {
public:
    HostServer(std::shared_ptr<Transport> transport, const std::string& address, VideoService& video);
    ~HostServer();
    HostServer(const HostServer&) = delete;
    HostServer& operator=(const HostServer&) = delete;

    const std::string& address() const { return listener_->address(); }
    size_t active_sessions();  // also forgets sessions that ended
    HostSessionCounters totals();

private:
    VideoService& video_;
    std::mutex mutex_;
    std::list<std::unique_ptr<HostSession>> sessions_;
    std::unique_ptr<Listener> listener_;  // last: no accept runs once it is gone
};

}  // namespace tether::session
