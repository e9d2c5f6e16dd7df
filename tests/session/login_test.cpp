// Password checks run in parallel, so guessing strangers do not slow down a
// user who knows the password: a correct login with four attackers guessing
// takes about as long as it does alone.
#include "raw_session.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kPassword = "correct horse battery";

// The median of `count` logins with the permanent password (an Argon2id check each).
std::chrono::microseconds median_login(test::TestHost& host, int count) {
    std::vector<std::chrono::microseconds> times;
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        test::RawSession s(host.server.address());
        EXPECT_TRUE(s.log_in(kPassword, kView, {"vp9"}).ok());
        times.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

TEST(Login, ACorrectLoginWithFourAttackersGuessingTakesAboutAsLongAsAlone) {
    test::TestHost host(test::synthetic_video("vp9", 160, 120), kPassword);
    const auto alone = median_login(host, 5);

    std::atomic<bool> stop{false};
    std::atomic<int> guesses{0};
    std::vector<std::thread> attackers;
    for (int a = 0; a < 4; ++a) {
        attackers.emplace_back([&, a] {
            // A new address for every guess, as an attacker with a whole network would.
            for (int n = 0; !stop; ++n) {
                try {
                    const std::string source = "127.50." + std::to_string(a) + "." + std::to_string(n % 250 + 1);
                    test::RawSession s(host.server.address(), {.source = source, .receive_buffer = 0});
                    s.log_in("wrong password " + std::to_string(n), kView, {"vp9"});
                    ++guesses;
                } catch (const std::exception&) {
                    // turned away
                }
            }
        });
    }
    std::this_thread::sleep_for(100ms);  // the attack is under way
    const auto attacked = median_login(host, 5);
    stop = true;
    for (auto& t : attackers) t.join();

    EXPECT_GT(guesses.load(), 4);
    EXPECT_LE(attacked.count(), alone.count() * 3 / 2)
        << "alone " << alone.count() << " us, with attackers " << attacked.count() << " us";
}

}  // namespace
}  // namespace tether::session
