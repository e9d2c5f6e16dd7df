// A program kept running beside the caller (an X server, a VNC server, a
// workload, `tether host`) until it is destroyed; its process group goes with it.
#pragma once

#include "core/subprocess.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tether {

class BackgroundCommand {
public:
    // `on_stdout` sees its stdout as it comes, on a thread of this object's.
    BackgroundCommand(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
                      std::function<void(std::string_view)> on_stdout = {});
    ~BackgroundCommand();  // stops it and waits
    BackgroundCommand(const BackgroundCommand&) = delete;
    BackgroundCommand& operator=(const BackgroundCommand&) = delete;
    bool exited() const { return exited_; }
    // What it printed and how it ended, once exited() (or stop()).
    const CommandResult& result() const { return result_; }
    void stop();

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> exited_{false};
    CommandResult result_;
    std::thread thread_;
};

}  // namespace tether
