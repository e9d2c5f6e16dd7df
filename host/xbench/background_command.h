// A program a benchmark keeps running beside it (an X server, a VNC server,
// a workload) until it is destroyed; its process group goes with it.
#pragma once

#include "core/subprocess.h"

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace tether::xbench {

class BackgroundCommand {
public:
    BackgroundCommand(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
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

}  // namespace tether::xbench
