#include "netsim_connect_bench.h"

#include "core/temp_folder.h"
#include "process_stats.h"
#include "stop_signal.h"
#include "tether_on_netsim.h"

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <iostream>
#include <map>

namespace tether::cli {
namespace {

// A cone NAT facing a symmetric one: the session starts on the relay and moves
// to UDP once birthday probing (100 probes a second) finds a path, within seconds.
double default_seconds(const NatPair& pair) {
    const bool birthday = (pair.host == "cone" && pair.viewer == "sym") || (pair.host == "sym" && pair.viewer == "cone");
    return birthday ? 8 : 2;
}

struct Run {
    int64_t connect_us = 0;
    std::optional<int64_t> direct_us;
    std::string path;
};

// From a viewer's summary: direct from the first path it ran on that is not the relay.
Run measured(const nlohmann::json& summary) {
    const auto us = [](double ms) { return static_cast<int64_t>(ms * 1000); };
    Run run{us(summary.value("connect_ms", 0.0)), std::nullopt, summary.value("path", "?")};
    for (const auto& step : summary.value("paths", nlohmann::json::array()))
        if (!step.value("path", "").starts_with("relay")) {
            run.direct_us = us(step.value("at_ms", 0.0));
            break;
        }
    return run;
}

nlohmann::json p50_and_max(const std::vector<int64_t>& us) {
    if (us.empty()) return nullptr;
    return {{"p50", percentile(us, 50) / 1000.0}, {"max", percentile(us, 100) / 1000.0}};
}

// One pair on a netsim of its own: its server and host, then the runs one after another.
nlohmann::json measure_pair(const std::filesystem::path& program, const NetsimConnectOptions& o, const NatPair& pair) {
    const double seconds = o.seconds.value_or(default_seconds(pair));
    spdlog::info("bench connect: {} host, {} viewer, {} runs of {} s", pair.host, pair.viewer, o.runs, seconds);
    std::vector<Run> runs;
    std::vector<std::string> errors;
    try {
        const TempFolder folder("tether-bench-netsim");
        TetherOnNetsim world(program, o.script, pair.host, pair.viewer, folder.path());
        for (int run = 1; run <= o.runs && !stop_requested(); ++run) {
            if (const auto why = world.gone()) {
                errors.push_back("before run " + std::to_string(run) + ": " + *why);
                break;
            }
            try {
                runs.push_back(measured(world.connect(seconds)));
            } catch (const std::exception& e) {
                errors.push_back("run " + std::to_string(run) + ": " + e.what());
            }
        }
    } catch (const std::exception& e) {
        errors.push_back(e.what());
    }

    std::vector<int64_t> connect_us, direct_us;
    std::map<std::string, int> paths;
    nlohmann::json each = nlohmann::json::array();
    for (const auto& run : runs) {
        connect_us.push_back(run.connect_us);
        if (run.direct_us) direct_us.push_back(*run.direct_us);
        ++paths[run.path];
        each.push_back({{"path", run.path},
                        {"connect_ms", run.connect_us / 1000.0},
                        {"direct_ms", run.direct_us ? nlohmann::json(*run.direct_us / 1000.0) : nullptr}});
    }
    return {{"host", pair.host},
            {"viewer", pair.viewer},
            {"seconds", seconds},
            {"runs", runs.size()},
            {"paths", paths},
            {"connect_ms", p50_and_max(connect_us)},
            {"direct_runs", direct_us.size()},
            {"direct_ms", p50_and_max(direct_us)},
            {"each_run", each},
            {"errors", errors}};
}

std::string ms_cell(const nlohmann::json& figures) {
    if (figures.is_null()) return "-";
    return fmt::format("{:.0f} / {:.0f} ms", figures["p50"].get<double>(), figures["max"].get<double>());
}

void print_table(const nlohmann::json& out) {
    std::cout << "bench connect: `tether connect ID` on b to `tether host` on a through netsim, runs a pair: "
              << out["runs_per_pair"] << "\n"
              << fmt::format("{:<10} {:<10} {:<16} {:<20} {:<20} {}\n", "host", "viewer", "path",
                             "first picture", "direct", "runs");
    for (const auto& pair : out["pairs"]) {
        std::string paths;
        for (const auto& [path, count] : pair["paths"].items())
            paths += (paths.empty() ? "" : ", ") + path +
                     (pair["paths"].size() > 1 ? " " + std::to_string(count.get<int>()) : "");
        std::string direct = ms_cell(pair["direct_ms"]);
        if (pair["direct_runs"] != pair["runs"] && !pair["direct_ms"].is_null())
            direct += fmt::format(" ({} runs)", pair["direct_runs"].get<int>());
        std::cout << fmt::format("{:<10} {:<10} {:<16} {:<20} {:<20} {}/{}\n", pair["host"].get<std::string>(),
                                 pair["viewer"].get<std::string>(), paths.empty() ? "-" : paths,
                                 ms_cell(pair["connect_ms"]), direct, pair["runs"].get<int>(),
                                 out["runs_per_pair"].get<int>());
    }
}

}  // namespace

int run_netsim_connect_bench(const GlobalOptions& global, const NetsimConnectOptions& o) {
    if (!std::filesystem::is_regular_file(o.script))
        throw UsageError("--netsim " + o.script.string() + ": no such file (the netsim.sh script)");
    if (geteuid() != 0)
        throw std::runtime_error("--netsim needs root: netsim.sh makes network namespaces and NAT rules");
    const auto program = std::filesystem::read_symlink("/proc/self/exe");

    nlohmann::json out = {{"bench", "connect"},
                          {"netsim", o.script.string()},
                          {"runs_per_pair", o.runs},
                          {"pairs", nlohmann::json::array()}};
    int failed = 0;
    for (const auto& pair : o.pairs) {
        if (stop_requested()) break;
        auto measured_pair = measure_pair(program, o, pair);
        for (const auto& why : measured_pair["errors"]) spdlog::error("{}: {}", pair.name(), why.get<std::string>());
        failed += measured_pair["errors"].empty() ? 0 : 1;
        out["pairs"].push_back(std::move(measured_pair));
    }
    out["failed_pairs"] = failed;
    if (global.json)
        std::cout << out.dump() << std::endl;
    else
        print_table(out);
    return failed == 0 && !stop_requested() ? 0 : 1;
}

}  // namespace tether::cli
