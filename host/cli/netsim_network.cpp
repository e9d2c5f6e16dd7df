#include "netsim_network.h"

#include "core/subprocess.h"

#include <stdexcept>

namespace tether::cli {
namespace {

std::string without_line_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

NetsimNetwork::NetsimNetwork(std::filesystem::path script, const std::string& mode_a, const std::string& mode_b)
    : script_(std::move(script)) {
    run({"up", mode_a, mode_b});
}

NetsimNetwork::~NetsimNetwork() {
    try {
        run({"down"});
    } catch (const std::exception&) {
        // Nothing is left to take down, or nothing more can be done about it.
    }
}

std::vector<std::string> NetsimNetwork::on(const std::string& host) const { return {script_.string(), "exec", host}; }

std::string NetsimNetwork::address(const std::string& host) const { return without_line_end(run({"addr", host})); }

std::string NetsimNetwork::run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{script_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run_command(argv, std::chrono::seconds(60));
    if (result.exit_code != 0)
        throw std::runtime_error(script_.filename().string() + " " + args.front() +
                                 " failed: " + (result.timed_out ? "timed out" : without_line_end(result.err)));
    return result.out;
}

}  // namespace tether::cli
