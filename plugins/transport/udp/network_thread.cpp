#include "network_thread.h"

#include "plugin_log.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <system_error>

namespace tether::udp {
namespace {

int make_wake_fd() {
    const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::system_category(), "cannot make an eventfd");
    return fd;
}

}  // namespace

NetworkThread::NetworkThread() : wake_fd_(make_wake_fd()) {}

NetworkThread::~NetworkThread() {
    stop();
    ::close(wake_fd_);
}

void NetworkThread::start(Driver& driver) {
    driver_ = &driver;
    thread_ = std::thread([this] { run(); });
}

void NetworkThread::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
}

void NetworkThread::post(std::function<void()> task) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        wake = tasks_.empty();
        tasks_.push_back(std::move(task));
    }
    // One wake-up per batch: the thread takes every task queued by then.
    if (wake) {
        const uint64_t one = 1;
        (void)!::write(wake_fd_, &one, sizeof one);
    }
}

// A handler that throws must not end the thread: every connection and the
// joins in close() and destroy() depend on it.
template <typename Fn>
void NetworkThread::guarded(Fn&& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        log(TETHER_LOG_ERROR, std::string("network thread: ") + e.what());
    } catch (...) {
        log(TETHER_LOG_ERROR, "network thread: unknown error");
    }
}

void NetworkThread::run() {
    Clock::time_point next = Clock::now();
    for (;;) {
        wait(next);
        run_tasks();
        const Clock::time_point now = Clock::now();
        run_timers(now);
        guarded([&] { next = driver_->serve(now); });
        bool stopping = false;
        {
            std::lock_guard lock(mutex_);
            stopping = stopping_;
        }
        if (stopping) {
            bool finished = true;
            guarded([&] { finished = driver_->finished(Clock::now()); });
            if (finished) break;
        }
    }
    guarded([&] { driver_->teardown(); });
}

void NetworkThread::wait(Clock::time_point until) {
    std::vector<pollfd> fds;
    fds.reserve(1 + watched_.size());
    fds.push_back({wake_fd_, POLLIN, 0});
    for (const auto& [fd, reader] : watched_)
        if (!reader->paused()) fds.push_back({fd, POLLIN, 0});
    if (!timers_.empty()) until = std::min(until, timers_.begin()->first);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    const int timeout = until == Clock::time_point::max() ? -1 : static_cast<int>(std::clamp<int64_t>(left, 0, 60'000));
    if (::poll(fds.data(), fds.size(), timeout) <= 0) return;
    if (fds[0].revents != 0) {
        uint64_t count = 0;
        (void)!::read(wake_fd_, &count, sizeof count);
    }
    for (size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        // Looked up again: a reader may have gone, or its descriptor been reused, since.
        const auto reader = watched_.find(fds[i].fd);
        if (reader != watched_.end()) guarded([&] { reader->second->on_readable(); });
    }
}

void NetworkThread::run_tasks() {
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(mutex_);
        tasks.swap(tasks_);
    }
    for (auto& task : tasks) guarded(task);
}

void NetworkThread::run_timers(Clock::time_point now) {
    while (!timers_.empty() && timers_.begin()->first <= now) {
        auto fn = std::move(timers_.begin()->second);
        timers_.erase(timers_.begin());
        guarded(fn);
    }
}

}  // namespace tether::udp
