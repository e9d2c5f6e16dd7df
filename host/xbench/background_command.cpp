#include "background_command.h"

#include <chrono>

namespace tether::xbench {

using namespace std::chrono_literals;

BackgroundCommand::BackgroundCommand(std::vector<std::string> argv, std::map<std::string, std::string> env)
    : thread_([this, argv = std::move(argv), env = std::move(env)] {
          result_ = run_command(argv, 24h, env, [this] { return stop_.load(); });
          exited_ = true;
      }) {}

BackgroundCommand::~BackgroundCommand() { stop(); }

void BackgroundCommand::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace tether::xbench
