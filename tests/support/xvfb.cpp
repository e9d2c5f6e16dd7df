#include "xvfb.h"

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

namespace {

std::string size_text(uint32_t width, uint32_t height) { return std::to_string(width) + "x" + std::to_string(height); }

}  // namespace

XServer::XServer(const std::string& server, const std::vector<std::string>& arguments) {
    int number = 100 + getpid() % 800;
    while (std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock")) ++number;
    display_ = ":" + std::to_string(number);
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(number);
    std::vector<std::string> argv{server, display_};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    server_ = std::make_unique<ChildProcess>(argv);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    if (!std::filesystem::exists(socket)) throw std::runtime_error(server + " did not start: " + server_->stderr_text());
}

void XServer::paint(const std::string& colour) const { run({"xsetroot", "-solid", colour}); }

CommandResult XServer::run(const std::vector<std::string>& argv) const {
    CommandResult r = run_command(argv, 60s, {{"DISPLAY", display_}});
    if (r.exit_code != 0) throw std::runtime_error(argv.front() + " failed: " + r.err);
    return r;
}

// -noreset: what a client painted stays when it disconnects.
Xvfb::Xvfb(uint32_t width, uint32_t height)
    : XServer("Xvfb", {"-screen", "0", size_text(width, height) + "x24", "-nolisten", "tcp", "-noreset"}) {}

// -rfbport -1: no VNC listener, only the X display.
Xvnc::Xvnc(uint32_t width, uint32_t height)
    : XServer("Xvnc", {"-geometry", size_text(width, height), "-depth", "24", "-SecurityTypes", "None", "-rfbport",
                       "-1", "-nolisten", "tcp", "-noreset"}) {}

bool Xvnc::installed() { return run_command({"sh", "-c", "command -v Xvnc"}).exit_code == 0; }

}  // namespace tether::test
