#include "path_race.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

constexpr auto kDialTimeout = 5s;
// A host that cannot be dialed may still dial back; give it this long after the last dial failed.
constexpr auto kDialBackGrace = 1500ms;
constexpr size_t kMaxDialBacks = 4;

}  // namespace

PathRace::PathRace(std::shared_ptr<Transport> transport, net::SecureChannel::HostCheck check,
                   net::ChannelOptions options)
    : transport_(std::move(transport)), check_(std::move(check)), options_(std::move(options)) {}

PathRace::~PathRace() {
    {
        std::lock_guard lock(mutex_);
        over_ = true;
    }
    changed_.notify_all();
    listener_.reset();
    for (const auto& close : closers_) close();
    for (auto& t : threads_) t.join();
}

void PathRace::add_closer(std::function<void()> close) {
    std::lock_guard lock(mutex_);
    closers_.push_back(std::move(close));
}

std::string PathRace::listen_for_host(const std::string& address) {
    listener_ = transport_->listen(address, [this](std::unique_ptr<Connection> connection, const std::string& peer) {
        std::lock_guard lock(mutex_);
        if (over_ || accepted_ >= kMaxDialBacks) return;  // closes as it goes
        ++accepted_;
        ++running_;
        threads_.emplace_back(&PathRace::attempt, this, PathCandidate{transport_->vtable().scheme, peer, std::nullopt, 0ms, {}},
                              std::move(connection));
    });
    return listener_->address();
}

void PathRace::dial(PathCandidate candidate) {
    std::lock_guard lock(mutex_);
    ++running_;
    threads_.emplace_back(&PathRace::attempt, this, std::move(candidate), nullptr);
}

void PathRace::attempt(PathCandidate candidate, std::unique_ptr<Connection> accepted) {
    const std::string label = candidate.path + " " + candidate.address;
    std::unique_ptr<net::SecureChannel> channel;
    std::string failure;
    try {
        {
            std::unique_lock lock(mutex_);
            if (changed_.wait_for(lock, candidate.delay, [&] { return over_; })) {
                --running_;
                changed_.notify_all();
                return;  // decided before this one started
            }
        }
        auto connection = accepted          ? std::move(accepted)
                          : candidate.open ? candidate.open()
                                           : transport_->connect(candidate.address, kDialTimeout);
        const auto checked = [this](const std::string& peer_id, const security::PublicKey& key) {
            std::lock_guard lock(check_mutex_);
            check_(peer_id, key);
        };
        channel = net::SecureChannel::connect(std::move(connection), checked, options_, candidate.preface);
    } catch (const std::exception& e) {
        failure = label + ": " + e.what();
    }
    std::unique_ptr<net::SecureChannel> lost;
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        --running_;
        if (channel && !over_) {
            spdlog::debug("path {} won", label);
            winner_ = RaceWinner{std::move(channel), candidate.path, candidate.address};
            won_path_ = candidate.path;
            over_ = true;
        } else if (channel && won_path_.starts_with("relay") && !candidate.path.starts_with("relay") && !upgraded_) {
            spdlog::info("a direct path came up after the relay: {}", label);
            upgrade_ = RaceWinner{std::move(channel), candidate.path, candidate.address};
            upgraded_ = true;
            notify = on_upgrade_;
        } else if (channel) {
            lost = std::move(channel);
        } else {
            spdlog::debug("path {} failed: {}", label, failure);
            failures_.push_back(failure);
        }
    }
    changed_.notify_all();
    if (notify) notify();
    // Outside the lock: closing waits for the transport.
    if (lost) lost->close("another path won");
}

bool PathRace::upgrade_ready() const {
    std::lock_guard lock(mutex_);
    return upgrade_.has_value();
}

std::optional<RaceWinner> PathRace::take_upgrade() {
    std::lock_guard lock(mutex_);
    return std::exchange(upgrade_, std::nullopt);
}

RaceWinner PathRace::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait_until(lock, deadline, [&] { return winner_.has_value() || running_ == 0; });
        if (winner_ || std::chrono::steady_clock::now() >= deadline) break;
        // Every attempt failed: a listening viewer still gives the host a moment to dial back.
        if (!listener_ || !changed_.wait_for(lock, kDialBackGrace, [&] { return winner_.has_value() || running_ > 0; }))
            break;
    }
    over_ = true;
    if (winner_) return std::move(*std::exchange(winner_, std::nullopt));
    std::string why = running_ > 0 ? "no path finished within " + std::to_string(timeout.count()) + " ms" : "no path worked";
    for (const auto& f : failures_) why += "; " + f;
    throw std::runtime_error(why);
}

}  // namespace tether::session
