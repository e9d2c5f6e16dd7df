// The one network thread of a transport: it waits in poll() on a wake-up
// descriptor and every socket watched, runs tasks posted from other threads
// and timers that fell due, then lets its driver (the transport) service
// ENet. Every ENet call and every callback into the host runs here.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <unordered_map>
#include <vector>

namespace tether::udp {

using Clock = std::chrono::steady_clock;

// Something with a socket to read when it is readable.
class Readable {
public:
    virtual void on_readable() = 0;
    // True while it does not want to be woken by its socket (it is visited on its own time).
    virtual bool paused() const { return false; }

protected:
    ~Readable() = default;
};

class NetworkThread {
public:
    class Driver {
    public:
        // After each wake-up: service what needs it; the latest time to be woken again.
        virtual Clock::time_point serve(Clock::time_point now) = 0;
        // Asked after stop(): true when the thread may end.
        virtual bool finished(Clock::time_point now) = 0;
        // The last thing the thread runs.
        virtual void teardown() = 0;

    protected:
        ~Driver() = default;
    };

    NetworkThread();
    ~NetworkThread();  // joins
    NetworkThread(const NetworkThread&) = delete;
    NetworkThread& operator=(const NetworkThread&) = delete;

    void start(Driver& driver);
    // Asks the thread to end once the driver says it has finished, and joins it.
    void stop();
    bool is_current() const { return std::this_thread::get_id() == thread_.get_id(); }

    // From any thread: runs `task` on the network thread soon.
    void post(std::function<void()> task);
    // Runs `fn` on the network thread and returns once it has run (inline
    // when called there), passing on what it throws.
    template <typename Fn>
    void run_and_wait(Fn&& fn);

    // ---- network thread ----
    void watch(int fd, Readable& reader) { watched_[fd] = &reader; }
    void unwatch(int fd) { watched_.erase(fd); }
    // Runs `fn` at `when` or soon after. Timers cannot be cancelled: a timer
    // whose object is gone finds that out itself (a weak pointer).
    void at(Clock::time_point when, std::function<void()> fn) { timers_.emplace(when, std::move(fn)); }

private:
    void run();
    void wait(Clock::time_point until);
    void run_tasks();
    void run_timers(Clock::time_point now);
    template <typename Fn>
    void guarded(Fn&& fn);

    Driver* driver_ = nullptr;
    const int wake_fd_;
    std::thread thread_;

    std::mutex mutex_;  // guards tasks_ and stopping_
    std::vector<std::function<void()>> tasks_;
    bool stopping_ = false;

    // Network thread only.
    std::unordered_map<int, Readable*> watched_;
    std::multimap<Clock::time_point, std::function<void()>> timers_;
};

template <typename Fn>
void NetworkThread::run_and_wait(Fn&& fn) {
    if (is_current()) return fn();
    std::packaged_task<void()> task(std::forward<Fn>(fn));  // keeps what fn throws for get()
    auto ran = task.get_future();
    post([&task] { task(); });
    ran.get();
}

}  // namespace tether::udp
