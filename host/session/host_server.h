// Accepts viewers on a transport and runs a HostSession for each. Strangers
// are admitted within limits (admission.h); their handshakes and password
// checks share two work queues, one for sources that logged in before and
// one for everyone else, so a flood of strangers cannot hold up a known
// user's login. A supervisor thread ends sessions that overstay their
// login time and retires ended ones; no lock is held while anything waits.
#pragma once

#include "admission.h"
#include "host_session.h"
#include "service_host.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tether::session {

class HostServer {
public:
    HostServer(std::shared_ptr<Transport> transport, const std::string& address, HostContext& context);
    ~HostServer();
    HostServer(const HostServer&) = delete;
    HostServer& operator=(const HostServer&) = delete;

    const std::string& address() const { return listener_->address(); }
    // A connection the host dialed itself (to a viewer that listens, or to a
    // relay with its preface), admitted as an accepted one. [thread-safe]
    void adopt(std::unique_ptr<Connection> connection, const std::string& peer,
               std::optional<net::Preface> preface = std::nullopt);
    size_t active_sessions();                  // connections that have not ended, logged in or not
    std::vector<HostSessionReport> reports();  // every live session, then the last ended ones
    // What a service published: to its session, or to every session (0); each
    // session sends it only with the permission it needs. [thread-safe]
    void send_to_sessions(const ServiceOutput& output);

private:
    void supervise();                                                                  // its own thread
    std::vector<std::shared_ptr<HostSession>> take_ended();                            // holds mutex_

    HostContext& context_;
    WorkQueue trusted_work_;
    WorkQueue stranger_work_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool wake_now_ = false;
    uint64_t refused_ = 0;  // connections turned away since the supervisor last said so
    std::string last_refusal_;
    std::chrono::steady_clock::time_point last_report_{};
    std::list<std::shared_ptr<HostSession>> sessions_;  // oldest first
    std::deque<HostSessionReport> ended_;  // bounded: a long-running host keeps only the latest
    std::thread supervisor_;
    std::unique_ptr<Listener> listener_;  // last: no accept runs before the rest exists
};

}  // namespace tether::session
