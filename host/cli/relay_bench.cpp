#include "relay_bench.h"

#include "relay_capacity.h"
#include "relay_throughput.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace tether::cli {
namespace {

struct RelayBenchOptions {
    uint32_t seconds = 3;
    uint32_t rounds = 3;
    size_t sessions = 10'000;
};

nlohmann::json throughput_json(const RelayThroughput& t) {
    const auto share = [&](double mb_s) { return t.socat_mb_s > 0 ? mb_s / t.socat_mb_s : 0.0; };
    return {{"splice_mb_s", t.splice_mb_s},
            {"buffer_mb_s", t.buffer_mb_s},
            {"socat_mb_s", t.socat_mb_s},
            {"splice_vs_socat", share(t.splice_mb_s)},
            {"buffer_vs_socat", share(t.buffer_mb_s)},
            {"splice_cpu_s_per_gb", t.splice_cpu_s_per_gb},
            {"buffer_cpu_s_per_gb", t.buffer_cpu_s_per_gb}};
}

nlohmann::json capacity_json(const RelayCapacity& c) {
    const double growth = c.rss_after_mb - c.rss_before_mb;
    const double per_session_kib = c.ran > 0 ? growth * 1024 / static_cast<double>(c.ran) : 0.0;
    return {{"requested", c.requested},
            {"ran", c.ran},
            {"descriptor_limit", c.descriptor_limit},
            {"descriptors_needed", c.descriptors_needed},
            {"limited_by_descriptors", c.ran < c.requested},
            {"setup_s", c.setup_s},
            {"rss_before_mb", c.rss_before_mb},
            {"rss_after_mb", c.rss_after_mb},
            {"rss_growth_mb", growth},
            {"kib_per_session", per_session_kib},
            {"projected_mb_for_requested", per_session_kib * static_cast<double>(c.requested) / 1024}};
}

void print_text(const nlohmann::json& out) {
    const auto& t = out["throughput"];
    const auto& c = out["sessions"];
    std::cout << "bench relay: one stream on loopback, best of " << out["rounds"] << " rounds of " << out["seconds"]
              << " s each\n"
              << "  relay, splice: " << t["splice_mb_s"].get<double>() << " MB/s (" << t["splice_vs_socat"].get<double>() * 100
              << " % of socat), " << t["splice_cpu_s_per_gb"].get<double>() << " s relay CPU/GB\n"
              << "  relay, buffer: " << t["buffer_mb_s"].get<double>() << " MB/s (" << t["buffer_vs_socat"].get<double>() * 100
              << " % of socat), " << t["buffer_cpu_s_per_gb"].get<double>() << " s relay CPU/GB\n"
              << "  socat:         " << t["socat_mb_s"].get<double>() << " MB/s\n"
              << "sessions: " << c["ran"] << " open at once, paired in " << c["setup_s"].get<double>() << " s\n"
              << "  relay memory: +" << c["rss_growth_mb"].get<double>() << " MB resident ("
              << c["kib_per_session"].get<double>() << " KiB a session; " << c["projected_mb_for_requested"].get<double>()
              << " MB for " << c["requested"] << ")\n";
    if (c["limited_by_descriptors"].get<bool>())
        std::cout << "  only " << c["ran"] << " of " << c["requested"] << ": the hard descriptor limit is "
                  << c["descriptor_limit"] << ", " << c["requested"] << " sessions with their peers in this process need "
                  << c["descriptors_needed"] << "\n";
}

int run_relay_bench(const GlobalOptions& global, const RelayBenchOptions& o) {
    spdlog::info("bench relay: {} rounds of a {} s stream through the relay (splice, buffer) and socat", o.rounds,
                 o.seconds);
    const RelayThroughput throughput = measure_relay_throughput(std::chrono::seconds(o.seconds), o.rounds);
    spdlog::info("bench relay: {} sessions at once", o.sessions);
    const RelayCapacity capacity = measure_relay_capacity(o.sessions);
    const nlohmann::json out = {{"bench", "relay"},
                                {"seconds", o.seconds},
                                {"rounds", o.rounds},
                                {"throughput", throughput_json(throughput)},
                                {"sessions", capacity_json(capacity)}};
    if (global.json)
        std::cout << out.dump() << std::endl;
    else
        print_text(out);
    return 0;
}

}  // namespace

void add_relay_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<RelayBenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "relay", "A relayed stream's throughput beside socat's (splice and buffer), and the relay's memory with many sessions");
    cmd->add_option("--seconds", o->seconds, "Length of each stream")->check(CLI::Range(1, 60))->capture_default_str();
    cmd->add_option("--rounds", o->rounds, "Rounds of the three streams, alternating; the best of each counts")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    cmd->add_option("--sessions", o->sessions, "Sessions open at once")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    cmd->callback([&global, &exit_code, o] { exit_code = run_relay_bench(global, *o); });
}

}  // namespace tether::cli
