#include "background_command.h"

#include <chrono>

namespace tether {

using namespace std::chrono_literals;

BackgroundCommand::BackgroundCommand(std::vector<std::string> argv, std::map<std::string, std::string> env,
                                     std::function<void(std::string_view)> on_stdout)
    : thread_([this, argv = std::move(argv), env = std::move(env), on_stdout = std::move(on_stdout)] {
          result_ = run_command(argv, 24h, env, [this] { return stop_.load(); }, on_stdout);
          exited_ = true;
      }) {}

BackgroundCommand::~BackgroundCommand() { stop(); }

void BackgroundCommand::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace tether
