// A program running beside the test — `tether host`, `tether connect` — that
// the test talks to while it runs: its stdout read line by line (JSON events),
// its stderr kept in a file, its stdin a pipe the test may write to or leave
// silent, signals sent on cue, and its exit awaited with a deadline.
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tether::test {

class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~ChildProcess();  // kills it if it still runs
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // The next line of stdout parsed as JSON, or an empty object when none came in time.
    nlohmann::json next_event(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // The first event named `name` not yet taken, or an empty object at the deadline. Events of
    // other names stay for later calls, in order, whatever order the threads printed them in.
    nlohmann::json wait_for_event(const std::string& name, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Everything else it prints on stdout until it exits or the time runs out.
    std::string rest_of_stdout(std::chrono::milliseconds timeout);
    void write_stdin(const std::string& text);
    void signal(int number);
    // Its exit status once it has exited (128 + the signal when one killed it), or nullopt at the deadline.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    std::string stderr_text() const;
    // Whether its log (stderr) says `text` by the deadline.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

private:
    bool read_more(std::chrono::steady_clock::time_point deadline);  // false at EOF or the deadline

    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    std::filesystem::path stderr_file_;
    std::string buffered_;
    std::deque<nlohmann::json> unclaimed_;  // events read while waiting for another
    std::optional<int> status_;
};

// Read from /proc/<pid>/status.
struct ProcessUsage {
    long threads = 0;
    long rss_kib = 0;
};
ProcessUsage usage_of(pid_t pid);

}  // namespace tether::test
