#include "subprocess.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>

namespace tether {

extern "C" char** environ;

PreparedCommand::PreparedCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    if (argv.empty()) throw std::invalid_argument("no command to run");
    strings_ = argv;
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const size_t eq = entry.find('=');
        if (eq != std::string::npos) merged.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    for (const auto& [key, value] : env) merged.insert_or_assign(key, value);
    for (const auto& [key, value] : merged) strings_.push_back(key + "=" + value);
    // Pointers last: strings_ no longer moves.
    for (size_t i = 0; i < strings_.size(); ++i) (i < argv.size() ? argv_ : envp_).push_back(strings_[i].data());
    argv_.push_back(nullptr);
    envp_.push_back(nullptr);
}

void PreparedCommand::exec() const {
    // A program starts with every signal delivered, whatever this process blocks for its own reasons.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvpe(argv_[0], argv_.data(), envp_.data());
    _exit(127);
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::map<std::string, std::string>& env, const std::function<bool()>& cancelled,
                          const std::function<void(std::string_view)>& on_stdout) {
    const PreparedCommand command(argv, env);
    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // Its own process group, so that what it starts goes with it; and it
        // dies with us, so that nothing it does outlives a killed tether.
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        const int null_in = open("/dev/null", O_RDONLY);
        dup2(null_in, STDIN_FILENO);
        command.exec();
    }
    close(out_pipe[1]);
    close(err_pipe[1]);

    CommandResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&result.out, &result.err};
    // True when it read something.
    auto read_ready = [&](int wait_ms) {
        if (poll(fds.data(), fds.size(), wait_ms) <= 0) return false;
        bool got = false;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
            std::array<char, 65536> chunk;
            const ssize_t n = read(fds[i].fd, chunk.data(), chunk.size());
            if (n > 0) {
                sinks[i]->append(chunk.data(), static_cast<size_t>(n));
                if (i == 0 && on_stdout) on_stdout({chunk.data(), static_cast<size_t>(n)});
                got = true;
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
        return got;
    };
    constexpr auto kSlice = std::chrono::milliseconds(100);  // how soon `cancelled` is noticed
    int status = 0;
    bool reaped = false;
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || (cancelled && cancelled())) {
            result.timed_out = left.count() <= 0;
            result.cancelled = !result.timed_out;
            break;
        }
        // Once its output has ended, only its exit is awaited: look often.
        const bool output_ended = fds[0].fd < 0 && fds[1].fd < 0;
        read_ready(static_cast<int>(std::min(left, output_ended ? std::chrono::milliseconds(2) : kSlice).count()));
        // Done when it has exited, even if something it started still holds its output open.
        if (waitpid(pid, &status, WNOHANG) == pid) {
            reaped = true;
            while (read_ready(0) && std::chrono::steady_clock::now() < deadline) {
            }
            break;
        }
    }
    kill(-pid, SIGKILL);  // whatever of its group is left
    if (!reaped) waitpid(pid, &status, 0);
    for (auto& fd : fds)
        if (fd.fd >= 0) close(fd.fd);
    if (result.timed_out || result.cancelled) return result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    return result;
}

}  // namespace tether
