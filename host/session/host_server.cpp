#include "host_server.h"

#include <spdlog/spdlog.h>

namespace tether::session {
namespace {

constexpr size_t kEndedReportsKept = 64;

}  // namespace

HostServer::HostServer(std::shared_ptr<Transport> transport, const std::string& address, HostContext& context)
    : context_(context) {
    listener_ = transport->listen(address, [this](std::unique_ptr<Connection> connection, const std::string& peer) {
        spdlog::info("viewer connected from {}", peer);
        auto session = std::make_unique<HostSession>(std::move(connection), context_, peer);
        // Ended sessions are retired by the owner's thread, never here: a
        // transport thread must not wait for a session thread to finish.
        std::lock_guard lock(mutex_);
        sessions_.push_back(std::move(session));
    });
}

HostServer::~HostServer() {
    listener_.reset();
    std::lock_guard lock(mutex_);
    sessions_.clear();
}

void HostServer::retire_ended() {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (!(*it)->ended()) {
            ++it;
            continue;
        }
        ended_.push_back((*it)->report());
        if (ended_.size() > kEndedReportsKept) ended_.pop_front();
        it = sessions_.erase(it);
    }
}

size_t HostServer::active_sessions() {
    std::lock_guard lock(mutex_);
    retire_ended();
    return sessions_.size();
}

std::vector<HostSessionReport> HostServer::reports() {
    std::lock_guard lock(mutex_);
    std::vector<HostSessionReport> all;
    for (const auto& s : sessions_) all.push_back(s->report());
    all.insert(all.end(), ended_.begin(), ended_.end());
    return all;
}

}  // namespace tether::session
