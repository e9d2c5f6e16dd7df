#include "shaped_loopback.h"

#include "process.h"

#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <vector>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

void run(const std::vector<std::string>& command) {
    const CommandResult r = run_command(command, 10s);
    if (r.exit_code != 0) throw std::runtime_error(command.front() + " failed: " + r.err);
}

// The bucket's depth: four packets, as a real link's; its queue: 50 ms at the rate.
std::vector<std::string> bucket(const std::string& verb, uint32_t kbps) {
    return {"tc", "qdisc", verb, "dev", "lo", "root", "tbf", "rate", std::to_string(kbps) + "kbit", "burst", "6000",
            "latency", "50ms"};
}

}  // namespace

std::string ShapedLoopback::enter() {
    if (geteuid() != 0) return "shaping a link needs root (a network namespace and tc)";
    if (unshare(CLONE_NEWNET) != 0) return "cannot make a network namespace";
    try {
        run({"ip", "link", "set", "lo", "up", "mtu", "1500"});
        run(bucket("add", 10'000'000));  // uncapped, until a test caps it
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

void ShapedLoopback::cap(uint32_t kbps) { run(bucket("change", kbps == 0 ? 10'000'000 : kbps)); }

}  // namespace tether::test
