#include "child_process.h"

#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    const PreparedCommand command(argv, env);
    char name[] = "/tmp/tether-child-stderr-XXXXXX";
    const int err = mkstemp(name);
    if (err < 0) throw std::runtime_error("mkstemp failed");
    stderr_file_ = name;
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        command.exec();
    }
    close(err);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
}

ChildProcess::~ChildProcess() {
    if (!status_) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    if (stdin_ >= 0) close(stdin_);
    close(stdout_);
    std::error_code ignored;
    std::filesystem::remove(stderr_file_, ignored);
}

bool ChildProcess::read_more(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd pfd{stdout_, POLLIN, 0};
    if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = read(stdout_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffered_.append(chunk, static_cast<size_t>(n));
    return true;
}

nlohmann::json ChildProcess::next_event(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (const auto nl = buffered_.find('\n'); nl != std::string::npos) {
            const std::string line = buffered_.substr(0, nl);
            buffered_.erase(0, nl + 1);
            return nlohmann::json::parse(line, nullptr, false);
        }
        if (!read_more(deadline)) return nlohmann::json::object();
    }
}

nlohmann::json ChildProcess::wait_for_event(const std::string& name, std::chrono::milliseconds timeout) {
    const auto named = [&](const nlohmann::json& e) { return e.is_object() && e.value("event", "") == name; };
    if (const auto it = std::ranges::find_if(unclaimed_, named); it != unclaimed_.end()) {
        nlohmann::json event = std::move(*it);
        unclaimed_.erase(it);
        return event;
    }
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return nlohmann::json::object();
        nlohmann::json event = next_event(left);
        if (event.empty()) return nlohmann::json::object();
        if (named(event)) return event;
        unclaimed_.push_back(std::move(event));
    }
}

std::string ChildProcess::rest_of_stdout(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (read_more(deadline)) {
    }
    return std::exchange(buffered_, {});
}

void ChildProcess::write_stdin(const std::string& text) {
    if (write(stdin_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("cannot write to the child's stdin");
}

void ChildProcess::signal(int number) { kill(pid_, number); }

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!status_) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(5ms);
    }
    return status_;
}

std::string ChildProcess::stderr_text() const {
    std::ifstream in(stderr_file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool ChildProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (stderr_text().find(text) != std::string::npos) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

ProcessUsage usage_of(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    ProcessUsage usage;
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("Threads:")) usage.threads = std::stol(line.substr(8));
        if (line.starts_with("VmRSS:")) usage.rss_kib = std::stol(line.substr(6));
    }
    return usage;
}

}  // namespace tether::test
