// `tether host --json` as its own process with a small desktop, and
// `tether connect` to it, the way two people would use them. Both keep their
// data (identity, pins) in folders under one test folder.
#pragma once

#include "child_process.h"
#include "process.h"
#include "temp_dir.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tether::test {

class RunningHost {
public:
    // `tether host` with `extra` arguments; its config layer and data live in `dir`.
    explicit RunningHost(const TempDir& dir, const std::vector<std::string>& extra = {});
    ~RunningHost();  // stops it, if it still runs
    RunningHost(const RunningHost&) = delete;
    RunningHost& operator=(const RunningHost&) = delete;

    std::map<std::string, std::string> environment() const;
    // The one-time password the host shows next (it shows a new one after each use).
    const std::string& next_password();

    // `tether connect` to this host with the password shown last.
    std::vector<std::string> connect_argv(const std::string& seconds, const std::string& with_password) const;
    CommandResult connect(const std::string& seconds = "2") const;

    // SIGTERM, then how long it took to exit (nullopt: not within 10 s); expects exit code 0.
    std::optional<std::chrono::milliseconds> terminate();

    const TempDir& dir;
    std::unique_ptr<ChildProcess> process;
    nlohmann::json ready;  // the "ready" event: id, fingerprint, address
    std::string address;
    std::string password;  // the one-time password shown last
};

// `tether connect ADDRESS --headless --json --seconds S --password P`, its data in dir/viewer and its
// config layer in dir, as a RunningHost in the same `dir` has.
std::vector<std::string> connect_argv(const TempDir& dir, const std::string& address, const std::string& password,
                                      const std::string& seconds = "2", const std::vector<std::string>& extra = {});
CommandResult connect(const TempDir& dir, const std::string& address, const std::string& password,
                      const std::vector<std::string>& extra = {});
std::map<std::string, std::string> environment_of(const TempDir& dir);

// The JSON summary `tether connect --json` printed, or an empty object.
nlohmann::json summary_of(const CommandResult& result);

}  // namespace tether::test
