#include "tether_on_netsim.h"

#include "netsim_config.h"
#include "stop_signal.h"

#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

// Registering takes the host a TCP and a UDP round trip or two; the rest is its plugins starting.
constexpr auto kStartTimeout = 20s;
// Beyond the session's own seconds: the lookup and the paths' race, however slow.
constexpr auto kViewerGrace = 40s;

// The last lines a program wrote to its log: where it says why it stopped.
std::string log_tail(const std::string& log) {
    constexpr size_t kLines = 3;
    std::deque<std::string> tail;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        tail.push_back(line);
        if (tail.size() > kLines) tail.pop_front();
    }
    std::string text;
    for (const auto& line : tail) text += "\n    " + line;
    return tail.empty() ? "nothing in its log" : text;
}

}  // namespace

TetherOnNetsim::TetherOnNetsim(const std::filesystem::path& program, const std::filesystem::path& script,
                               const std::string& mode_a, const std::string& mode_b, const std::filesystem::path& folder)
    : net_(script, mode_a, mode_b),
      program_(program),
      folder_(folder),
      config_(folder / "netsim.toml"),
      rendezvous_(net_.address("srv")) {
    std::ofstream(config_) << kNetsimConfig;
    for (const char* who : {"srv", "a", "b"}) std::filesystem::create_directories(folder_ / who);

    server_ = std::make_unique<BackgroundCommand>(tether_on("srv", {"serve"}), std::map<std::string, std::string>{},
                                                  [this](std::string_view out) { server_events_.feed(out); });
    await(*server_, server_events_, "ready", "`tether serve` on srv");
    host_ = std::make_unique<BackgroundCommand>(tether_on("a", {"host", "--rendezvous", rendezvous_}),
                                                std::map<std::string, std::string>{},
                                                [this](std::string_view out) { host_events_.feed(out); });
    id_ = await(*host_, host_events_, "ready", "`tether host` on a").value("id", "");
    await(*host_, host_events_, "registered", "`tether host` on a");
    password_ = await(*host_, host_events_, "one_time_password", "`tether host` on a").value("password", "");

    // A first run in a data folder probes the plugins (a few tenths of a second), once: done
    // here, so that each timed run is that of a viewer that has run before.
    const CommandResult probed = run_command(tether_on("b", {"plugins"}), kStartTimeout);
    if (probed.exit_code != 0) throw std::runtime_error("`tether plugins` on b failed: " + log_tail(probed.err));
}

std::vector<std::string> TetherOnNetsim::tether_on(const std::string& host,
                                                   const std::vector<std::string>& command) const {
    auto argv = net_.on(host);
    argv.insert(argv.end(), {program_.string(), "--json", "--config", config_.string(), "--data-dir",
                             (folder_ / host).string()});
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

nlohmann::json TetherOnNetsim::await(BackgroundCommand& program, JsonEventLines& events, const std::string& name,
                                     const std::string& who) {
    if (auto event = events.wait_for(name, kStartTimeout, [&] { return program.exited() || stop_requested(); }))
        return *event;
    if (stop_requested()) throw std::runtime_error("stopped");
    const bool still_running = !program.exited();
    program.stop();  // for its log
    throw std::runtime_error(who + " said no \"" + name + "\"" +
                             (still_running ? " within " + std::to_string(kStartTimeout.count()) + " s: " +
                                                  log_tail(program.result().err)
                                            : ": " + ending(program)));
}

std::string TetherOnNetsim::ending(const BackgroundCommand& program) {
    const CommandResult& r = program.result();
    return (r.signal != 0 ? "killed by signal " + std::to_string(r.signal) : "exit code " + std::to_string(r.exit_code)) +
           ": " + log_tail(r.err);
}

std::optional<std::string> TetherOnNetsim::gone() const {
    if (server_->exited()) return "`tether serve` on srv has ended, " + ending(*server_);
    if (host_->exited()) return "`tether host` on a has ended, " + ending(*host_);
    return std::nullopt;
}

void TetherOnNetsim::take_newest_password(std::chrono::milliseconds wait) {
    while (auto shown = host_events_.wait_for("one_time_password", wait, [&] { return host_->exited(); })) {
        password_ = shown->value("password", "");
        wait = 0ms;
    }
}

nlohmann::json TetherOnNetsim::connect(double seconds) {
    std::ostringstream span;
    span << seconds;
    const auto argv = tether_on("b", {"connect", id_, "--rendezvous", rendezvous_, "--password", password_,
                                      "--headless", "--seconds", span.str()});
    const CommandResult r =
        run_command(argv, std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)) + kViewerGrace, {},
                    stop_requested);
    take_newest_password(2s);
    if (r.cancelled) throw std::runtime_error("stopped");
    if (r.timed_out) throw std::runtime_error("`tether connect` on b did not end in time");
    nlohmann::json summary;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with('{')) summary = nlohmann::json::parse(line, nullptr, false);
    if (r.exit_code != 0 || !summary.is_object() || summary.value("frames", 0) == 0)
        throw std::runtime_error("`tether connect` on b, exit code " + std::to_string(r.exit_code) + ": " +
                                 log_tail(r.err));
    return summary;
}

}  // namespace tether::cli
