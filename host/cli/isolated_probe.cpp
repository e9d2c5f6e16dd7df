#include "isolated_probe.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <string>

namespace tether::cli {

ProbeResult probe_isolated(const Factory& factory, std::chrono::milliseconds timeout) {
    int fds[2];
    if (pipe(fds) != 0) return probe(factory);  // no isolation available: probe in process
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return probe(factory);
    }
    if (pid == 0) {
        close(fds[0]);
        const ProbeResult r = probe(factory);
        const std::string line = (r.ok ? "1" : "0") + r.reason;
        [[maybe_unused]] const ssize_t written = write(fds[1], line.data(), line.size());
        _exit(0);
    }
    close(fds[1]);
    std::string reply;
    pollfd pfd{fds[0], POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) == 0) {
            timed_out = true;
            break;
        }
        std::array<char, 512> chunk;
        const ssize_t n = read(fds[0], chunk.data(), chunk.size());
        if (n <= 0) break;
        reply.append(chunk.data(), static_cast<size_t>(n));
    }
    close(fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (timed_out) return {false, "probe did not answer within " + std::to_string(timeout.count()) + " ms"};
    if (WIFSIGNALED(status)) return {false, std::string("probe crashed: ") + strsignal(WTERMSIG(status))};
    if (reply.empty()) return {false, "probe exited without an answer"};
    return {reply[0] == '1', reply.substr(1)};
}

}  // namespace tether::cli
