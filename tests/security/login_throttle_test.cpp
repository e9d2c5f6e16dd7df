// Password guessing slows down per source and for the whole host, and the bookkeeping stays bounded.
#include "captured_log.h"
#include "security/login_throttle.h"

#include <gtest/gtest.h>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using security::LoginThrottle;
using std::chrono::milliseconds;

const LoginThrottle::Clock::time_point t0 = LoginThrottle::Clock::time_point{} + 1000h;

// One wrong password from `source` at `now`; false when it was refused unchecked.
bool wrong(LoginThrottle& throttle, const std::string& source, LoginThrottle::Clock::time_point now) {
    if (throttle.begin(source, now)) return false;
    throttle.failed(source);
    return true;
}

// `count` wrong passwords, each as soon as the source may try; returns when the last came.
LoginThrottle::Clock::time_point punish(LoginThrottle& throttle, const std::string& source, int count,
                                        LoginThrottle::Clock::time_point now) {
    for (int i = 0; i < count; ++i) {
        if (const auto wait = throttle.retry_after(source, now)) now += *wait;
        EXPECT_TRUE(wrong(throttle, source, now)) << i;
    }
    return now;
}

const security::LoginLimits kNoHostBudget{.max_sources = 10000, .host_wrong_per_minute = 1'000'000};

TEST(LoginThrottle, TwoFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes) {
    LoginThrottle throttle;
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", t0));
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", t0));
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);

    auto now = t0;
    const std::vector<milliseconds> expected{1s, 2s, 4s, 8s, 16s, 32s, 64s, 128s, 256s, 300s, 300s, 300s};
    for (const auto wait : expected) {
        EXPECT_TRUE(wrong(throttle, "1.2.3.4", now));
        EXPECT_EQ(throttle.retry_after("1.2.3.4", now), wait);
        const auto refused = throttle.begin("1.2.3.4", now + wait - 1ms);
        ASSERT_TRUE(refused);
        EXPECT_EQ(refused->wait, 1ms);
        EXPECT_FALSE(refused->host_wide);
        now += wait;
        EXPECT_EQ(throttle.retry_after("1.2.3.4", now), std::nullopt);
    }
}

TEST(LoginThrottle, EachFailureIsLoggedWithSourceAndCount) {
    const CapturedLog log;
    LoginThrottle throttle;
    wrong(throttle, "192.0.2.7", t0);
    wrong(throttle, "192.0.2.7", t0);
    EXPECT_NE(log.text().find("192.0.2.7 (2 in a row)"), std::string::npos) << log.text();
}

TEST(LoginThrottle, AttemptsCountBeforeTheirPasswordIsChecked) {
    // Three checks in flight at once from one source: the third already costs a wait,
    // so parallel connections cannot outrun the count.
    LoginThrottle throttle;
    EXPECT_FALSE(throttle.begin("1.2.3.4", t0));
    EXPECT_FALSE(throttle.begin("1.2.3.4", t0));
    EXPECT_FALSE(throttle.begin("1.2.3.4", t0));
    const auto fourth = throttle.begin("1.2.3.4", t0);
    ASSERT_TRUE(fourth);
    EXPECT_EQ(fourth->wait, 1s);
}

TEST(LoginThrottle, SuccessForgetsTheSource) {
    LoginThrottle throttle;
    const auto later = punish(throttle, "1.2.3.4", 5, t0);
    ASSERT_TRUE(throttle.retry_after("1.2.3.4", later));
    throttle.succeeded("1.2.3.4", later);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", later));
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", later));
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);  // free again
    throttle.succeeded("5.6.7.8", later);                            // unknown: trusted from now on
}

TEST(LoginThrottle, SourcesAreIndependent) {
    LoginThrottle throttle;
    for (int i = 0; i < 3; ++i)
        wrong(throttle, "1.2.3.4", t0);
    wrong(throttle, "::1", t0);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), 1s);
    EXPECT_EQ(throttle.retry_after("::1", t0), std::nullopt);
    EXPECT_EQ(throttle.retry_after("5.6.7.8", t0), std::nullopt);
}

TEST(LoginThrottle, IdleSourcesExpireAfterAnHour) {
    LoginThrottle throttle;
    const auto punished = punish(throttle, "1.2.3.4", 12, t0);  // the last wait is 5 min
    const auto before_expiry = punished + 59min;
    EXPECT_EQ(throttle.retry_after("1.2.3.4", before_expiry), std::nullopt);
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", before_expiry));
    EXPECT_EQ(throttle.retry_after("1.2.3.4", before_expiry), 300s);  // still counted
    const auto later = before_expiry + 1h;
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", later));
    EXPECT_TRUE(wrong(throttle, "1.2.3.4", later));
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);  // counting starts over
}

TEST(LoginThrottle, StrangersShareAHostBudgetThatTrustedSourcesDoNotNeed) {
    LoginThrottle throttle;
    throttle.succeeded("10.9.9.9", t0);  // logged in before
    // Every guess from a new address, so no source's own count ever grows.
    int checked = 0;
    for (int i = 0; i < 100; ++i)
        if (wrong(throttle, "10.1.0." + std::to_string(i), t0)) ++checked;
    EXPECT_EQ(checked, security::LoginLimits{}.host_wrong_per_minute);
    const auto refused = throttle.begin("10.2.0.1", t0);
    ASSERT_TRUE(refused);
    EXPECT_TRUE(refused->host_wide);
    EXPECT_EQ(refused->wait, 2s);  // one more guess every 2 s: 30 a minute
    EXPECT_FALSE(throttle.begin("10.9.9.9", t0));  // the known source still gets its own tries
    EXPECT_TRUE(throttle.trusted("10.9.9.9", t0));
    EXPECT_FALSE(throttle.trusted("10.1.0.1", t0));
    EXPECT_FALSE(throttle.begin("10.2.0.1", t0 + 2s));  // the budget refills
}

TEST(LoginThrottle, ARightPasswordGivesBackItsShareOfTheHostBudget) {
    LoginThrottle throttle({.max_sources = 10000, .host_wrong_per_minute = 2});
    EXPECT_FALSE(throttle.begin("10.0.0.1", t0));
    throttle.succeeded("10.0.0.1", t0);
    EXPECT_FALSE(throttle.begin("10.0.0.2", t0));
    EXPECT_FALSE(throttle.begin("10.0.0.3", t0));
    EXPECT_TRUE(throttle.begin("10.0.0.4", t0));
}

TEST(LoginThrottle, AFullTableNeverForgetsASourceThatIsStillPunished) {
    const CapturedLog quiet;
    LoginThrottle throttle({.max_sources = 4, .host_wrong_per_minute = kNoHostBudget.host_wrong_per_minute});
    const auto now = punish(throttle, "victim", 12, t0);  // waits 5 minutes from `now`
    EXPECT_TRUE(wrong(throttle, "a", now));
    EXPECT_TRUE(wrong(throttle, "b", now));
    EXPECT_TRUE(wrong(throttle, "c", now));  // full: victim, a, b, c
    // New sources push out the oldest that are not waiting: a, then b, never the victim.
    EXPECT_TRUE(wrong(throttle, "d", now));
    EXPECT_TRUE(wrong(throttle, "e", now));
    EXPECT_EQ(throttle.retry_after("victim", now), 300s);
    // Punish the rest: then a newcomer is refused rather than let anyone start over.
    for (const char* s : {"c", "d", "e"})
        for (int i = 0; i < 2; ++i)
            EXPECT_TRUE(wrong(throttle, s, now));
    const auto refused = throttle.begin("f", now);
    ASSERT_TRUE(refused);
    EXPECT_TRUE(refused->host_wide);
    EXPECT_EQ(throttle.retry_after("victim", now), 300s);
    EXPECT_FALSE(throttle.begin("f", now + 300s));  // once the punishments are over, room again
}

TEST(LoginThrottle, SourceIsTheAddressWithoutThePort) {
    EXPECT_EQ(security::source_of("1.2.3.4:5678"), "1.2.3.4");
    EXPECT_EQ(security::source_of("[::1]:5"), "::/64");
    EXPECT_EQ(security::source_of("[fe80::1%eth0]:21118"), "fe80::/64");
    EXPECT_EQ(security::source_of("[2001:db8:1:2:aaaa::7]"), "2001:db8:1:2::/64");
    // Every address of one /64 is one source; the next /64 is another.
    EXPECT_EQ(security::source_of("[2001:db8:1:2:ffff:1:2:3]:80"), security::source_of("[2001:db8:1:2::9]:81"));
    EXPECT_NE(security::source_of("[2001:db8:1:3::9]:81"), security::source_of("[2001:db8:1:2::9]:81"));
    EXPECT_EQ(security::source_of("[::ffff:10.1.2.3]:9"), "10.1.2.3");
    EXPECT_EQ(security::source_of("1.2.3.4"), "1.2.3.4");
    EXPECT_EQ(security::source_of("2001:db8::7"), "2001:db8::/64");
    EXPECT_EQ(security::source_of("[::1"), "[::1");
}

}  // namespace
}  // namespace tether::test
