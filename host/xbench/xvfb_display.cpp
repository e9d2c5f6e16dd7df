#include "xvfb_display.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace tether::xbench {
namespace {

using namespace std::chrono_literals;

// The first display number from a spot of our own with no server's lock file.
int free_display() {
    int number = 200 + getpid() % 700;
    while (std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock")) ++number;
    return number;
}

}  // namespace

XvfbDisplay::XvfbDisplay(uint32_t width, uint32_t height) {
    const int number = free_display();
    name_ = ":" + std::to_string(number);
    // -noreset: what a client painted stays when it disconnects.
    server_ = std::make_unique<BackgroundCommand>(std::vector<std::string>{
        "Xvfb", name_, "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten", "tcp",
        "-noreset"});
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(number);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline && !server_->exited())
        std::this_thread::sleep_for(10ms);
    if (!std::filesystem::exists(socket)) {
        server_->stop();
        throw std::runtime_error("Xvfb did not start on " + name_ + " (apt-get install xvfb): " + server_->result().err);
    }
}

}  // namespace tether::xbench
