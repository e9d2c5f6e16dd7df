// The host's round trip, from pictures handed to the channel and the bytes the
// path has taken since: the least wait for a whole picture, forgotten after ten seconds.
#include "congestion/round_trip.h"

#include <gtest/gtest.h>

namespace tether::congestion {
namespace {

using namespace std::chrono_literals;

TEST(RoundTrip, IsTheLeastWaitForAWholePictureToBeTaken) {
    RoundTrip trip;
    const auto t0 = Clock::now();
    EXPECT_EQ(trip.least(), 0us);
    trip.handed(10'000, t0);
    trip.handed(30'000, t0 + 10ms);
    trip.taken(20'000, t0 + 100ms);  // the second picture is not whole yet: the first waited 100 ms
    EXPECT_EQ(trip.least(), 100ms);
    trip.taken(30'000, t0 + 90ms + 10ms);
    EXPECT_EQ(trip.least(), 90ms);
    trip.handed(40'000, t0 + 200ms);
    trip.taken(40'000, t0 + 400ms);  // a picture behind a queue waits longer: the least stays
    EXPECT_EQ(trip.least(), 90ms);
}

TEST(RoundTrip, OfSeveralPicturesTakenAtOnceTheNewestIsTheSample) {
    RoundTrip trip;
    const auto t0 = Clock::now();
    trip.handed(1'000, t0);
    trip.handed(2'000, t0 + 40ms);
    trip.taken(2'000, t0 + 50ms);
    EXPECT_EQ(trip.least(), 10ms);
}

TEST(RoundTrip, ARouteThatChangedIsForgottenAfterTenSeconds) {
    RoundTrip trip;
    const auto t0 = Clock::now();
    trip.handed(1'000, t0);
    trip.taken(1'000, t0 + 20ms);
    for (int i = 1; i <= 12; ++i) {
        const auto at = t0 + std::chrono::seconds(i);
        trip.handed(1'000 + static_cast<uint64_t>(i) * 1'000, at);
        trip.taken(1'000 + static_cast<uint64_t>(i) * 1'000, at + 150ms);
    }
    EXPECT_EQ(trip.least(), 150ms);
}

}  // namespace
}  // namespace tether::congestion
