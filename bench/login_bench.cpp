// tether-bench-login: what guessing strangers cost a user who knows the
// password. A real host on loopback (its TCP transport, handshake, admission
// and password checks); a user logs in with the permanent password (an
// Argon2id check each time), first alone, then while attackers guess from a
// new address every try. Rounds alternate, each on a new host, and each kind
// keeps its cheapest median, since other load on the machine only adds.
// Prints one JSON object; `tether bench login` runs it.
#include "raw_session.h"
#include "session/permissions.h"
#include "test_host.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tether::test::RawSession;
using tether::test::TestHost;

const std::string kPassword = "correct horse battery";

struct Options {
    uint32_t rounds = 3;
    uint32_t logins = 9;     // the user's, per measurement
    uint32_t attackers = 4;  // threads, each guessing as fast as the host answers
};

double median_login_ms(TestHost& host, uint32_t count) {
    std::vector<double> times;
    for (uint32_t i = 0; i < count; ++i) {
        const auto start = Clock::now();
        RawSession s(host.server.address());
        if (!s.log_in(kPassword, tether::session::kView, {"vp9"}).ok())
            throw std::runtime_error("the user's login was refused");
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct Round {
    double alone_ms = 0;
    double attacked_ms = 0;
    int guesses = 0;  // answered, whether checked or refused by the throttle
};

Round run_round(const Options& o, uint32_t round) {
    TestHost host(tether::test::synthetic_video("vp9", 160, 120), kPassword);
    Round r;
    r.alone_ms = median_login_ms(host, o.logins);  // the first also makes the user's address a known one

    std::atomic<bool> stop{false};
    std::atomic<int> guesses{0};
    std::vector<std::thread> attackers;
    for (uint32_t a = 0; a < o.attackers; ++a) {
        attackers.emplace_back([&, a] {
            for (int n = 0; !stop; ++n) {
                try {
                    const std::string source = "127." + std::to_string(50 + round) + "." + std::to_string(a) + "." +
                                               std::to_string(n % 250 + 1);
                    RawSession s(host.server.address(), {.source = source, .receive_buffer = 0});
                    s.log_in("wrong password " + std::to_string(n), tether::session::kView, {"vp9"});
                    ++guesses;
                } catch (const std::exception&) {
                    // turned away: the host's right under attack
                }
            }
        });
    }
    std::this_thread::sleep_for(100ms);  // the attack is under way
    r.attacked_ms = median_login_ms(host, o.logins);
    stop = true;
    for (auto& t : attackers) t.join();
    r.guesses = guesses.load();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Login time of a user who knows the password, alone and while strangers guess; one JSON object"};
    Options o;
    app.add_option("--rounds", o.rounds, "Rounds, each on a new host")->check(CLI::Range(1, 20))->capture_default_str();
    app.add_option("--logins", o.logins, "The user's logins per measurement")->check(CLI::Range(1, 100))->capture_default_str();
    app.add_option("--attackers", o.attackers, "Attacking threads")->check(CLI::Range(1, 64))->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    // Stdout is the JSON alone; the attack's wrong passwords are not the result.
    spdlog::set_default_logger(spdlog::stderr_logger_mt("tether-bench-login"));
    spdlog::set_level(spdlog::level::err);
    try {
        double alone = std::numeric_limits<double>::max();
        double attacked = std::numeric_limits<double>::max();
        nlohmann::json rounds = nlohmann::json::array();
        for (uint32_t i = 0; i < o.rounds; ++i) {
            const Round r = run_round(o, i);
            alone = std::min(alone, r.alone_ms);
            attacked = std::min(attacked, r.attacked_ms);
            rounds.push_back({{"alone_ms", r.alone_ms}, {"attacked_ms", r.attacked_ms}, {"guesses", r.guesses}});
        }
        std::cout << nlohmann::json{{"bench", "login"},
                                    {"attackers", o.attackers},
                                    {"logins", o.logins},
                                    {"alone_ms", alone},
                                    {"attacked_ms", attacked},
                                    {"ratio", attacked / alone},
                                    {"rounds", rounds}}
                         .dump()
                  << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tether-bench-login: " << e.what() << "\n";
        return 1;
    }
}
