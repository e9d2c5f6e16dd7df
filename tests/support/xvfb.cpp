#include "xvfb.h"

#include "process.h"

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

Xvfb::Xvfb(uint32_t width, uint32_t height) {
    int number = 100 + getpid() % 800;
    while (std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock")) ++number;
    display_ = ":" + std::to_string(number);
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(number);
    // -noreset: what a client painted stays when it disconnects.
    server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "Xvfb", display_, "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten",
        "tcp", "-noreset"});
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    if (!std::filesystem::exists(socket)) throw std::runtime_error("Xvfb did not start: " + server_->stderr_text());
}

void Xvfb::paint(const std::string& colour) const {
    const auto r = run_command({"xsetroot", "-display", display_, "-solid", colour});
    if (r.exit_code != 0) throw std::runtime_error("xsetroot failed: " + r.err);
}

}  // namespace tether::test
