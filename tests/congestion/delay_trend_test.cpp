// The viewer's delay estimate on samples whose truth is known: a steady path,
// a queue that grows, one that drains, clocks far apart, and a move to a longer path.
#include "congestion/delay_trend.h"
#include "congestion/path_meter.h"

#include <gtest/gtest.h>

namespace tether::congestion {
namespace {

constexpr int64_t kClockOffsetUs = 1'700'000'000'000'000;  // the host's clock is another machine's

// `seconds` of pictures at 30 a second from `start_us`, each delayed by delay_us(t).
template <typename Delay>
int64_t feed(DelayTrend& trend, int64_t start_us, double seconds, Delay delay_us) {
    int64_t t = start_us;
    for (int i = 0; i < static_cast<int>(seconds * 30); ++i, t += 33'333)
        trend.add(t - kClockOffsetUs, t + delay_us(t - start_us));
    return t;
}

TEST(DelayTrend, ASteadyPathHasNoTrendAndNoQueue) {
    DelayTrend trend;
    feed(trend, 0, 3, [](int64_t) { return 20'000; });
    EXPECT_NEAR(trend.slope_ms_per_s(), 0, 0.01);
    EXPECT_EQ(trend.queue_delay().count(), 0);
}

TEST(DelayTrend, AGrowingQueueShowsAsItsRateOfGrowth) {
    DelayTrend trend;
    const int64_t t = feed(trend, 0, 2, [](int64_t) { return 20'000; });
    feed(trend, t, 1.5, [](int64_t since) { return 20'000 + since / 25; });  // 40 ms more each second sent
    // Per second of arrival, which the growing delay stretches: 40 / 1.04.
    EXPECT_NEAR(trend.slope_ms_per_s(), 38.5, 0.5);
    EXPECT_GT(trend.queue_delay().count(), 30'000);
}

TEST(DelayTrend, ADrainingQueueShowsFallingAndTheQueueLeft) {
    DelayTrend trend;
    int64_t t = feed(trend, 0, 1, [](int64_t) { return 10'000; });
    t = feed(trend, t, 1, [](int64_t) { return 210'000; });
    feed(trend, t, 1.5, [](int64_t since) { return 210'000 - since / 10; });  // 100 ms less each second sent
    EXPECT_NEAR(trend.slope_ms_per_s(), -100 / 0.9, 1);  // per second of arrival
    // 50 ms of queue left, and the smoothing's lag of a few pictures behind it.
    EXPECT_GE(trend.queue_delay().count(), 50'000);
    EXPECT_LE(trend.queue_delay().count(), 70'000);
}

TEST(DelayTrend, TheLowestDelayIsForgottenAfterTenSeconds) {
    DelayTrend trend;
    int64_t t = feed(trend, 0, 1, [](int64_t) { return 0; });
    t = feed(trend, t, 5, [](int64_t) { return 50'000; });
    EXPECT_NEAR(trend.queue_delay().count(), 50'000, 1'000);
    feed(trend, t, 6, [](int64_t) { return 50'000; });  // a longer route now, not a queue
    EXPECT_EQ(trend.queue_delay().count(), 0);
}

// A session that moves to a path 500 ms longer (a relay far away) has no queue for it: the new
// path's delay is measured from its own lowest.
TEST(DelayTrend, APathMoveStartsTheDelayAfresh) {
    PathMeter meter;
    int64_t t = 0;
    uint64_t sequence = 0;
    for (int i = 0; i < 60; ++i, t += 33'333) meter.picture(1, ++sequence, t - kClockOffsetUs, t + 20'000, 1000);
    for (int i = 0; i < 30; ++i, t += 33'333) meter.picture(2, ++sequence, t - kClockOffsetUs, t + 520'000, 1000);
    const PathReport report = meter.take(Clock::now(), 0);
    EXPECT_EQ(report.queue_delay.count(), 0);
    EXPECT_NEAR(report.delay_slope_ms_per_s, 0, 0.01);
}

TEST(DelayTrend, FewSamplesSayNothing) {
    DelayTrend trend;
    trend.add(0, 1'000);
    trend.add(33'000, 60'000);
    EXPECT_EQ(trend.slope_ms_per_s(), 0);
}

}  // namespace
}  // namespace tether::congestion
