// Runs a child process and collects what it printed: ffmpeg for benchmarks,
// and the tether binary or independent tools in tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tether {

struct CommandResult {
    int exit_code = -1;  // -1 when killed by a signal or the timeout
    int signal = 0;      // the signal that ended it, when one did (and the timeout did not)
    bool timed_out = false;
    bool cancelled = false;  // `cancelled` said so before it ended
    std::string out;
    std::string err;
};

// A command line and environment made ready before fork(), so that the child
// of a threaded process only execs: it must not allocate, as setenv() would.
class PreparedCommand {
public:
    PreparedCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
    // In the forked child: runs argv[0] (looked up on PATH); exits with 127 when it cannot.
    [[noreturn]] void exec() const;

private:
    std::vector<std::string> strings_;  // argv, then KEY=VALUE for the whole environment
    std::vector<char*> argv_;
    std::vector<char*> envp_;
};

// Runs argv[0] (looked up on PATH) with extra environment variables set, in
// a process group of its own that is killed, whatever is left of it, when it
// exits, times out or `cancelled` (asked every 100 ms) says so. It dies with
// the calling thread too. `on_stdout` sees stdout piece by piece as it comes,
// for a program whose output is awaited while it runs; `out` has it all too.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120),
                          const std::map<std::string, std::string>& env = {},
                          const std::function<bool()>& cancelled = {},
                          const std::function<void(std::string_view)>& on_stdout = {});

}  // namespace tether
