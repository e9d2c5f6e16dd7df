// What a session does about the bytes its path has not taken: bytes in flight
// and a keyframe's remainder are no queue; a queue holds the feed; a lasting
// queue bigger than a keyframe, on a feed others keep going, skips pictures.
#include "session/send_backlog.h"

#include <gtest/gtest.h>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
using congestion::Clock;
using congestion::Preset;
using congestion::RateController;

RateController two_mbit() { return RateController(Preset::Balanced, 0, 30, 1920, 1080); }  // starts at 2 Mbit/s

TEST(SendBacklog, AQueueOverATenthOfASecondHoldsTheFeed) {
    SendBacklog backlog;
    RateController rate = two_mbit();
    const auto now = Clock::now();
    EXPECT_FALSE(backlog.look(10'000, 10'000, rate, now));  // 40 ms at 2 Mbit/s
    EXPECT_TRUE(backlog.look(40'000, 40'000, rate, now));
    EXPECT_FALSE(backlog.look(0, 40'000, rate, now)) << "drained: let go";
}

TEST(SendBacklog, ALongPathsBytesInFlightAreNoQueue) {
    SendBacklog backlog;
    RateController rate = two_mbit();
    // 2 Mbit/s in pictures of 8,333 bytes, 30 a second; the path takes each 200 ms after it was handed.
    constexpr uint64_t kPicture = 8'333;
    const auto start = Clock::now();
    bool held_late = false;
    for (int k = 0; k < 150; ++k) {
        const auto now = start + k * 33'333us;
        const uint64_t sent = static_cast<uint64_t>(k) * kPicture;
        const int whole = std::max(0, k - 6);  // pictures handed 200 ms ago or more
        const uint64_t taken = static_cast<uint64_t>(whole) * kPicture;
        const bool hold = backlog.look(sent - taken, sent, rate, now);
        if (k >= 60) held_late |= hold;  // once the round trip is known
        backlog.handed(sent + kPicture, false, kPicture, now);
    }
    EXPECT_FALSE(held_late);
    EXPECT_EQ(rate.target().bitrate_kbps, 2000u) << "nor a reason to slow down";
}

TEST(SendBacklog, AKeyframesRemainderIsNoQueueAndASmallerQueueIsNeverSkipped) {
    SendBacklog backlog;
    RateController rate = two_mbit();
    const auto t0 = Clock::now();
    backlog.handed(90'000, true, 90'000, t0);  // a keyframe of 360 ms at the rate
    EXPECT_FALSE(backlog.look(90'000, 90'000, rate, t0));
    EXPECT_FALSE(backlog.skips(false, t0));
    // 60 KB of pictures behind it: held, but never skipped, however long it lasts: a keyframe costs more.
    EXPECT_TRUE(backlog.look(150'000, 150'000, rate, t0 + 10ms));
    EXPECT_FALSE(backlog.skips(false, t0 + 10ms));
    EXPECT_TRUE(backlog.look(150'000, 150'000, rate, t0 + 2s));
    EXPECT_FALSE(backlog.skips(false, t0 + 2s));
}

TEST(SendBacklog, AQueueBiggerThanAKeyframeSkipsOnceItLastsUnlessTheFeedIsHeld) {
    SendBacklog backlog;
    RateController rate = two_mbit();
    const auto t0 = Clock::now();
    backlog.handed(20'000, true, 20'000, t0);
    backlog.look(0, 20'000, rate, t0);  // the keyframe is taken
    EXPECT_TRUE(backlog.look(120'000, 140'000, rate, t0 + 10ms));
    EXPECT_FALSE(backlog.skips(true, t0 + 10ms)) << "a held feed adds nothing to the queue";
    EXPECT_TRUE(backlog.skips(false, t0 + 10ms)) << "past what 0.4 s of the rate explains: at once";
    EXPECT_TRUE(backlog.look(40'000, 100'000, rate, t0 + 20ms));
    EXPECT_FALSE(backlog.skips(false, t0 + 20ms)) << "over the allowance, but only just now";
    backlog.look(40'000, 100'000, rate, t0 + 300ms);
    EXPECT_TRUE(backlog.skips(false, t0 + 300ms)) << "it lasted";
}

}  // namespace
}  // namespace tether::session
