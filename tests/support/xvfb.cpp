#include "xvfb.h"

#include <stdexcept>

namespace tether::test {

using namespace std::chrono_literals;

namespace {

std::string size_text(uint32_t width, uint32_t height) { return std::to_string(width) + "x" + std::to_string(height); }

}  // namespace

XServer::XServer(const std::string& server, const std::vector<std::string>& arguments) {
    // -displayfd: the server takes a free display number itself, atomically (a
    // number chosen here could be taken by another test program meanwhile), and
    // prints it once it accepts connections.
    std::vector<std::string> argv{server, "-displayfd", "1"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    server_ = std::make_unique<ChildProcess>(argv);
    const nlohmann::json number = server_->next_event(20s);
    if (!number.is_number_unsigned()) throw std::runtime_error(server + " did not start: " + server_->stderr_text());
    display_ = ":" + std::to_string(number.get<unsigned>());
}

void XServer::paint(const std::string& colour) const { run({"xsetroot", "-solid", colour}); }

CommandResult XServer::run(const std::vector<std::string>& argv) const {
    CommandResult r = run_command(argv, 60s, {{"DISPLAY", display_}});
    if (r.exit_code != 0) throw std::runtime_error(argv.front() + " failed: " + r.err);
    return r;
}

// -noreset: what a client painted stays when it disconnects.
Xvfb::Xvfb(uint32_t width, uint32_t height, const std::vector<std::string>& options)
    : XServer("Xvfb", [&] {
          std::vector<std::string> arguments{"-screen", "0", size_text(width, height) + "x24", "-nolisten", "tcp",
                                             "-noreset"};
          arguments.insert(arguments.end(), options.begin(), options.end());
          return arguments;
      }()) {}

// -rfbport -1: no VNC listener, only the X display.
Xvnc::Xvnc(uint32_t width, uint32_t height)
    : XServer("Xvnc", {"-geometry", size_text(width, height), "-depth", "24", "-SecurityTypes", "None", "-rfbport",
                       "-1", "-nolisten", "tcp", "-noreset"}) {}

bool Xvnc::installed() { return run_command({"sh", "-c", "command -v Xvnc"}).exit_code == 0; }

}  // namespace tether::test
