#include "stop_signal.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <thread>

namespace tether::cli {
namespace {

std::atomic<bool> stop_flag{false};
int stop_pipe[2] = {-1, -1};  // written once, at the stop
std::mutex waiters_mutex;
std::condition_variable waiters;
uint64_t generation = 0;  // under waiters_mutex: one more at each wake

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

void install_stop_handlers() {
    // A peer closing a socket must be an error on that socket, never a process kill.
    std::signal(SIGPIPE, SIG_IGN);
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    if (pipe2(stop_pipe, O_CLOEXEC) != 0) stop_pipe[0] = stop_pipe[1] = -1;
    std::thread([set] {
        int received = 0;
        while (sigwait(&set, &received) != 0) {
        }
        stop_flag.store(true);
        if (stop_pipe[1] >= 0) [[maybe_unused]] const ssize_t written = write(stop_pipe[1], "x", 1);
        wake_waiters();
    }).detach();
}

bool stop_requested() { return stop_flag.load(); }

int stop_descriptor() { return stop_pipe[0]; }

void wake_waiters() {
    {
        std::lock_guard lock(waiters_mutex);
        ++generation;
    }
    waiters.notify_all();
}

bool wait_until(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) {
    for (;;) {
        uint64_t seen = 0;
        {
            std::lock_guard lock(waiters_mutex);
            seen = generation;
        }
        // Asked with no lock held: done() may take the locks of whatever calls wake_waiters().
        if (done()) return true;
        if (stop_requested() || std::chrono::steady_clock::now() >= deadline) return false;
        // An hour at most per wait: a far deadline (time_point::max()) must not overflow the clock's arithmetic.
        const auto until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::hours(1));
        std::unique_lock lock(waiters_mutex);
        waiters.wait_until(lock, until, [&] { return generation != seen; });
    }
}

bool sleep_unless_stopped(std::chrono::steady_clock::time_point deadline) {
    wait_until(deadline, [] { return false; });
    return !stop_requested();
}

}  // namespace tether::cli
