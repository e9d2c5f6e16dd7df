#include "netsim.h"

#include "core/subprocess.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace tether::test {
namespace {

const std::string kScript = TETHER_NETSIM_SCRIPT;

std::string run_script(const std::vector<std::string>& args) {
    std::vector<std::string> argv{kScript};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run_command(argv);
    if (result.exit_code != 0)
        throw std::runtime_error("netsim.sh " + args.front() + " failed: " + result.err);
    return result.out;
}

}  // namespace

std::optional<std::string> Netsim::unavailable() {
    if (geteuid() != 0) return "netsim needs root (network namespaces)";
    if (!std::filesystem::exists(kScript)) return "no netsim script at " + kScript;
    if (!std::filesystem::exists("/usr/sbin/iptables")) return "netsim needs iptables (apt-get install iptables)";
    return std::nullopt;
}

Netsim::Netsim(const std::string& mode_a, const std::string& mode_b) { run_script({"up", mode_a, mode_b}); }

Netsim::~Netsim() {
    for (const int pid : cuts_) waitpid(pid, nullptr, 0);
    try {
        run_script({"down"});
    } catch (const std::exception&) {
        // Teardown of what is already gone.
    }
}

std::vector<std::string> Netsim::exec_prefix(const std::string& host) { return {"ip", "netns", "exec", "tn_" + host}; }

std::string Netsim::address(const std::string& host) {
    std::string out = run_script({"addr", host});
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

void Netsim::loss(const std::string& host, int percent) { run_script({"loss", host, std::to_string(percent)}); }

void Netsim::exec(const std::string& host, const std::vector<std::string>& command) {
    std::vector<std::string> args{"exec", host};
    args.insert(args.end(), command.begin(), command.end());
    run_script(args);
}

void Netsim::cut(const std::string& host, int seconds) {
    const pid_t pid = fork();
    if (pid == 0) {
        execl(kScript.c_str(), kScript.c_str(), "cut", host.c_str(), std::to_string(seconds).c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    if (pid < 0) throw std::runtime_error("fork failed");
    cuts_.push_back(pid);
}

}  // namespace tether::test
