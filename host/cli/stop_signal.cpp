#include "stop_signal.h"

#include <atomic>
#include <csignal>
#include <thread>

namespace tether::cli {
namespace {

std::atomic<bool> stop_flag{false};

extern "C" void on_stop_signal(int) { stop_flag.store(true); }

}  // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = &on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A peer closing a socket must be an error on that socket, never a process kill.
    std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return stop_flag.load(); }

bool sleep_unless_stopped(std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono_literals;
    while (!stop_requested()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(deadline - now, 20ms));
    }
    return false;
}

}  // namespace tether::cli
