#include "host_server.h"

#include <spdlog/spdlog.h>

namespace tether::session {

HostServer::HostServer(std::shared_ptr<Transport> transport, const std::string& address, VideoService& video)
    : video_(video) {
    listener_ = transport->listen(address, [this](std::unique_ptr<Connection> connection, const std::string& peer) {
        spdlog::info("viewer connected from {}", peer);
        auto session = std::make_unique<HostSession>(std::move(connection), video_, peer);
        std::lock_guard lock(mutex_);
        sessions_.push_back(std::move(session));
    });
}

HostServer::~HostServer() {
    listener_.reset();
    std::lock_guard lock(mutex_);
    sessions_.clear();
}

size_t HostServer::active_sessions() {
    std::lock_guard lock(mutex_);
    sessions_.remove_if([](const auto& s) { return s->ended(); });
    return sessions_.size();
}

HostSessionCounters HostServer::totals() {
    std::lock_guard lock(mutex_);
    HostSessionCounters sum;
    for (const auto& s : sessions_) {
        const auto c = s->counters();
        sum.frames_sent += c.frames_sent;
        sum.frames_skipped += c.frames_skipped;
        sum.bytes_sent += c.bytes_sent;
    }
    return sum;
}

}  // namespace tether::session
