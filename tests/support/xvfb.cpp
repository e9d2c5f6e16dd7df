#include "xvfb.h"

#include "process.h"

#include <fstream>
#include <stdexcept>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

Xvfb::Xvfb(uint32_t width, uint32_t height, const std::vector<std::string>& options) {
    // -displayfd: the server takes the first free display number and writes it
    // once it accepts connections, so parallel tests never pick the same one.
    // -noreset: what a client painted stays when it disconnects.
    const std::filesystem::path number = folder_.path() / "display";
    std::vector<std::string> argv{"sh", "-c", "exec Xvfb -displayfd 3 \"$@\" 3>\"$0\"", number.string(), "-screen", "0",
                                  std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten", "tcp", "-noreset"};
    argv.insert(argv.end(), options.begin(), options.end());
    server_ = std::make_unique<ChildProcess>(argv);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::string written;
    while (written.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        std::ifstream in(number);
        std::getline(in, written, '\0');
    }
    if (written.find('\n') == std::string::npos) throw std::runtime_error("Xvfb did not start: " + server_->stderr_text());
    display_ = ":" + written.substr(0, written.find('\n'));
}

void Xvfb::paint(const std::string& colour) const {
    const auto r = run_command({"xsetroot", "-display", display_, "-solid", colour});
    if (r.exit_code != 0) throw std::runtime_error("xsetroot failed: " + r.err);
}

}  // namespace tether::test
