#include "xvfb.h"

#include "process.h"

#include <stdexcept>

namespace tether::test {

using namespace std::chrono_literals;

Xvfb::Xvfb(uint32_t width, uint32_t height) {
    // -displayfd: the server takes a free display number itself, atomically (a
    // number chosen here could be taken by another test program meanwhile), and
    // prints it once it accepts connections. -noreset: what a client painted
    // stays when it disconnects.
    server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "Xvfb", "-displayfd", "1", "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24",
        "-nolisten", "tcp", "-noreset"});
    const nlohmann::json number = server_->next_event(20s);
    if (!number.is_number_unsigned()) throw std::runtime_error("Xvfb did not start: " + server_->stderr_text());
    display_ = ":" + std::to_string(number.get<unsigned>());
}

void Xvfb::paint(const std::string& colour) const {
    const auto r = run_command({"xsetroot", "-display", display_, "-solid", colour});
    if (r.exit_code != 0) throw std::runtime_error("xsetroot failed: " + r.err);
}

}  // namespace tether::test
