#include "host_server.h"
#include "protocol.h"

#include "security/login_throttle.h"

#include <spdlog/spdlog.h>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

constexpr size_t kEndedReportsKept = 64;
constexpr auto kSupervisePeriod = 100ms;
// Handshakes and password checks that may wait for a worker; beyond it a
// connection is turned away at once rather than kept waiting.
constexpr size_t kWorkWaiting = 64;

}  // namespace

HostServer::HostServer(std::shared_ptr<Transport> transport, const std::string& address, HostContext& context)
    : context_(context),
      trusted_work_("logins of known sources", kWorkWaiting),
      stranger_work_("logins", kWorkWaiting) {
    listener_ = transport->listen(address, [this](std::unique_ptr<Connection> connection, const std::string& peer) {
        adopt(std::move(connection), peer);
    });
    // Once listening: a listen that throws (the port is taken) leaves no thread to join.
    supervisor_ = std::thread([this] { supervise(); });
}

HostServer::~HostServer() {
    listener_.reset();  // no accept runs past here
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    supervisor_.join();
    std::list<std::shared_ptr<HostSession>> sessions;
    {
        std::lock_guard lock(mutex_);
        sessions.swap(sessions_);
    }
    // Every session says goodbye at once; then each is joined, outside the lock.
    for (const auto& s : sessions) s->end(kHostShuttingDown);
    sessions.clear();
    trusted_work_.stop();
    stranger_work_.stop();
}

void HostServer::adopt(std::unique_ptr<Connection> connection, const std::string& peer,
                       std::optional<net::Preface> preface) {
    const WaitingLogin newcomer{0, security::source_of(peer), context_.authenticator.trusted(peer)};
    bool evicted = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        std::vector<WaitingLogin> waiting;
        std::vector<HostSession*> by_id;
        for (const auto& s : sessions_) {
            if (!s->waiting_for_login()) continue;
            waiting.push_back({by_id.size(), security::source_of(s->peer()), s->known_source()});
            by_id.push_back(s.get());
        }
        const Admission admission =
            admit(waiting, newcomer, {context_.limits.pending_logins, context_.limits.pending_logins_per_source});
        if (!admission.admitted) {
            ++refused_;
            last_refusal_ = admission.refusal;
            return;  // the connection closes as it goes
        }
        // Ended by the supervisor: closing a connection here could wait for another transport's thread.
        if (admission.evict) {
            by_id[*admission.evict]->end_soon("too many connections waiting to log in; made room for another");
            wake_now_ = evicted = true;
        }
    }
    if (evicted) wake_.notify_one();
    spdlog::debug("connection from {}", peer);
    WorkQueue& work = newcomer.known ? trusted_work_ : stranger_work_;
    auto session = HostSession::start(std::move(connection), context_, work, peer, newcomer.known, std::move(preface));
    std::lock_guard lock(mutex_);
    sessions_.push_back(std::move(session));
}

std::vector<std::shared_ptr<HostSession>> HostServer::take_ended() {
    std::vector<std::shared_ptr<HostSession>> ended;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (!(*it)->ended()) {
            ++it;
            continue;
        }
        ended_.push_back((*it)->report());
        if (ended_.size() > kEndedReportsKept) ended_.pop_front();
        ended.push_back(std::move(*it));
        it = sessions_.erase(it);
    }
    return ended;
}

void HostServer::supervise() {
    for (;;) {
        std::vector<std::shared_ptr<HostSession>> live;
        uint64_t refused = 0;
        std::string refusal;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, kSupervisePeriod, [&] { return stopping_ || wake_now_; });
            if (stopping_) return;
            wake_now_ = false;
            live.assign(sessions_.begin(), sessions_.end());
            // Summed up once a second at most, however fast they come.
            if (const auto now = std::chrono::steady_clock::now(); refused_ > 0 && now - last_report_ >= 1s) {
                refused = std::exchange(refused_, 0);
                refusal = last_refusal_;
                last_report_ = now;
            }
        }
        if (refused > 0) spdlog::warn("turned away {} connection(s) since the last report: {}", refused, refusal);
        const auto now = std::chrono::steady_clock::now();
        for (const auto& s : live) s->supervise(now);
        live.clear();
        std::vector<std::shared_ptr<HostSession>> ended;
        {
            std::lock_guard lock(mutex_);
            ended = take_ended();
        }
        // `ended` goes here, outside the lock: destroying a session joins its thread.
    }
}

size_t HostServer::active_sessions() {
    std::lock_guard lock(mutex_);
    size_t active = 0;
    for (const auto& s : sessions_)
        if (!s->ended()) ++active;
    return active;
}

std::vector<HostSessionReport> HostServer::reports() {
    std::lock_guard lock(mutex_);
    std::vector<HostSessionReport> all;
    for (const auto& s : sessions_) all.push_back(s->report());
    all.insert(all.end(), ended_.begin(), ended_.end());
    return all;
}

void HostServer::send_to_sessions(const ServiceOutput& output) {
    std::vector<std::shared_ptr<HostSession>> to;
    {
        std::lock_guard lock(mutex_);
        for (const auto& s : sessions_)
            if (output.session == 0 || s->id() == output.session) to.push_back(s);
    }
    // Outside the lock: a send may wait for the channel.
    for (const auto& s : to) s->send_service_output(output.topic, output.data);
}

}  // namespace tether::session
