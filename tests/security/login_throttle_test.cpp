// Password guessing slows down per source address, and the bookkeeping stays bounded.
#include "security/login_throttle.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using security::LoginThrottle;
using std::chrono::milliseconds;

const LoginThrottle::Clock::time_point t0 = LoginThrottle::Clock::time_point{} + 1000h;

// Sends the default logger's output to a string for one test.
class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        spdlog::set_default_logger(
            std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    std::string text() const { return text_.str(); }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::ostringstream text_;
};

TEST(LoginThrottle, TwoFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes) {
    LoginThrottle throttle;
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);
    throttle.failed("1.2.3.4", t0);
    throttle.failed("1.2.3.4", t0);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);

    auto now = t0;
    const std::vector<milliseconds> expected{1s, 2s, 4s, 8s, 16s, 32s, 64s, 128s, 256s, 300s, 300s, 300s};
    for (const auto wait : expected) {
        throttle.failed("1.2.3.4", now);
        EXPECT_EQ(throttle.retry_after("1.2.3.4", now), wait);
        EXPECT_EQ(throttle.retry_after("1.2.3.4", now + wait - 1ms), 1ms);
        now += wait;
        EXPECT_EQ(throttle.retry_after("1.2.3.4", now), std::nullopt);
    }
}

TEST(LoginThrottle, EachFailureIsLoggedWithSourceAndCount) {
    const CapturedLog log;
    LoginThrottle throttle;
    throttle.failed("192.0.2.7", t0);
    throttle.failed("192.0.2.7", t0);
    EXPECT_NE(log.text().find("192.0.2.7 (2 in a row)"), std::string::npos) << log.text();
}

TEST(LoginThrottle, SuccessForgetsTheSource) {
    LoginThrottle throttle;
    for (int i = 0; i < 5; ++i)
        throttle.failed("1.2.3.4", t0);
    ASSERT_TRUE(throttle.retry_after("1.2.3.4", t0));
    throttle.succeeded("1.2.3.4");
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);
    throttle.failed("1.2.3.4", t0);
    throttle.failed("1.2.3.4", t0);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), std::nullopt);  // free again
    throttle.succeeded("5.6.7.8");                                 // unknown: nothing happens
}

TEST(LoginThrottle, SourcesAreIndependent) {
    LoginThrottle throttle;
    for (int i = 0; i < 3; ++i)
        throttle.failed("1.2.3.4", t0);
    throttle.failed("::1", t0);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0), 1s);
    EXPECT_EQ(throttle.retry_after("::1", t0), std::nullopt);
    EXPECT_EQ(throttle.retry_after("5.6.7.8", t0), std::nullopt);
}

TEST(LoginThrottle, IdleSourcesExpireAfterAnHour) {
    LoginThrottle throttle;
    for (int i = 0; i < 12; ++i)
        throttle.failed("1.2.3.4", t0);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0 + 59min), std::nullopt);  // the 5 min wait is over
    throttle.failed("1.2.3.4", t0 + 59min);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", t0 + 59min), 300s);  // still counted
    const auto later = t0 + 59min + 1h;
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);
    throttle.failed("1.2.3.4", later);
    throttle.failed("1.2.3.4", later);
    EXPECT_EQ(throttle.retry_after("1.2.3.4", later), std::nullopt);  // counting starts over
}

TEST(LoginThrottle, TracksAtMostTenThousandSourcesEvictingTheOldest) {
    const CapturedLog quiet;  // ten thousand warnings
    LoginThrottle throttle;
    for (int i = 0; i < 12; ++i)
        throttle.failed("victim", t0);
    const auto flood = t0 + 1s;
    for (size_t i = 0; i + 1 < LoginThrottle::kMaxSources; ++i)
        throttle.failed("10.0." + std::to_string(i), flood);
    EXPECT_EQ(throttle.retry_after("victim", flood), 300s - 1s);  // 10000 tracked, the oldest still among them

    throttle.failed("one more", flood);
    EXPECT_EQ(throttle.retry_after("victim", flood), std::nullopt);  // evicted
    throttle.failed("one more", flood);
    throttle.failed("one more", flood);
    EXPECT_EQ(throttle.retry_after("one more", flood), 1s);  // the newest is tracked
    throttle.failed("10.0.1", flood);
    throttle.failed("10.0.1", flood);
    EXPECT_EQ(throttle.retry_after("10.0.1", flood), 1s);  // and so is the rest of the flood
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
