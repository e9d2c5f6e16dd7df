#include "login_bench.h"

#include "bench_rounds.h"
#include "core/subprocess.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

struct LoginBenchOptions {
    uint32_t rounds = 3;
    uint32_t logins = 9;
    uint32_t attackers = 4;
};

// The measuring is tether-bench-login's, built with the test suite whose real
// host and raw sessions it uses.
int run_login_bench(const GlobalOptions& global, const LoginBenchOptions& o) {
    const auto program = sibling_binary("tether-bench-login");
    if (!std::filesystem::exists(program))
        throw std::runtime_error(program.string() + " is missing: it is built with the tests (TETHER_BUILD_TESTS=ON)");
    const CommandResult r = run_command({program.string(), "--rounds", std::to_string(o.rounds), "--logins",
                                         std::to_string(o.logins), "--attackers", std::to_string(o.attackers)},
                                        3600s);
    if (r.exit_code != 0) throw std::runtime_error("tether-bench-login failed: " + r.err);
    const auto out = nlohmann::json::parse(r.out);
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        std::cout << "bench login: median of " << o.logins << " logins with the permanent password, cheapest of "
                  << o.rounds << " rounds\n"
                  << "  alone:                  " << out["alone_ms"].get<double>() << " ms\n"
                  << "  with " << o.attackers << " guessing attackers: " << out["attacked_ms"].get<double>() << " ms ("
                  << out["ratio"].get<double>() << "x)\n";
    }
    return 0;
}

}  // namespace

void add_login_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<LoginBenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "login", "A user's login time with the permanent password, alone and while strangers guess from many addresses");
    cmd->add_option("--rounds", o->rounds, "Rounds, each on a new host; the cheapest of each kind counts")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    cmd->add_option("--logins", o->logins, "The user's logins per measurement (their median counts)")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->add_option("--attackers", o->attackers, "Threads guessing, each from a new address every try")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    cmd->callback([&global, &exit_code, o] { exit_code = run_login_bench(global, *o); });
}

}  // namespace tether::cli
