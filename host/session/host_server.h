// Accepts viewers on a transport and runs a HostSession for each.
#pragma once

#include "host_session.h"

#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace tether::session {

class HostServer {
public:
    HostServer(std::shared_ptr<Transport> transport, const std::string& address, HostContext& context);
    ~HostServer();
    HostServer(const HostServer&) = delete;
    HostServer& operator=(const HostServer&) = delete;

    const std::string& address() const { return listener_->address(); }
    size_t active_sessions();                  // also retires sessions that ended
    std::vector<HostSessionReport> reports();  // every live session, then the last ended ones

private:
    void retire_ended();  // holds mutex_

    HostContext& context_;
    std::mutex mutex_;
    std::list<std::unique_ptr<HostSession>> sessions_;
    std::deque<HostSessionReport> ended_;  // bounded: a long-running host keeps only the latest
    std::unique_ptr<Listener> listener_;   // last: no accept runs once it is gone
};

}  // namespace tether::session
