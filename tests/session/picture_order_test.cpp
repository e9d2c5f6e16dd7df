// The viewer's and the host's halves of the media lane without a network:
// pictures put back in the order sent, gaps named for a resend, keyframes
// ending a wait, bounds on what either side holds.
#include "session/picture_order.h"
#include "session/sent_pictures.h"

#include <gtest/gtest.h>

#include <string>

namespace tether::session {
namespace {

using Clock = PictureOrder::Clock;

proto::VideoFrame picture(uint64_t sequence, bool keyframe = false, size_t bytes = 10) {
    proto::VideoFrame p;
    p.set_sequence(sequence);
    p.set_frame_number(sequence * 2);  // capture numbers need not be the sequence
    p.set_keyframe(keyframe);
    p.set_data(std::string(bytes, 'x'));
    return p;
}

std::vector<uint64_t> sequences(const std::vector<proto::VideoFrame>& shown) {
    std::vector<uint64_t> out;
    for (const auto& p : shown) out.push_back(p.sequence());
    return out;
}

TEST(PictureOrder, InOrderPicturesAreShownAtOnce) {
    PictureOrder order;
    const auto now = Clock::now();
    for (uint64_t s = 1; s <= 5; ++s) EXPECT_EQ(sequences(order.arrive(picture(s, s == 1), now)), std::vector<uint64_t>{s});
    EXPECT_FALSE(order.gap());
}

TEST(PictureOrder, AGapHoldsWhatFollowsUntilTheMissingComeAgain) {
    PictureOrder order;
    const auto now = Clock::now();
    order.arrive(picture(1, true), now);
    EXPECT_TRUE(order.arrive(picture(4), now).empty());
    EXPECT_TRUE(order.arrive(picture(5), now).empty());
    ASSERT_TRUE(order.gap());
    EXPECT_EQ(*order.gap(), (PictureOrder::Gap{1, 3}));
    EXPECT_EQ(sequences(order.arrive(picture(2), now)), std::vector<uint64_t>{2});
    EXPECT_EQ(*order.gap(), (PictureOrder::Gap{2, 3}));
    EXPECT_EQ(sequences(order.arrive(picture(3), now)), (std::vector<uint64_t>{3, 4, 5}));
    EXPECT_FALSE(order.gap());
}

TEST(PictureOrder, StaleAndRepeatedPicturesAreDropped) {
    PictureOrder order;
    const auto now = Clock::now();
    order.arrive(picture(1, true), now);
    order.arrive(picture(2), now);
    EXPECT_TRUE(order.arrive(picture(2), now).empty());
    EXPECT_TRUE(order.arrive(picture(1, true), now).empty());
    EXPECT_EQ(sequences(order.arrive(picture(3), now)), std::vector<uint64_t>{3});
}

TEST(PictureOrder, AKeyframeEndsTheWaitAndWhatWasHeldBeforeItGoes) {
    PictureOrder order;
    const auto now = Clock::now();
    order.arrive(picture(1, true), now);
    order.arrive(picture(3), now);
    order.arrive(picture(6), now);
    // 5 is a keyframe: 3 before it can go, 6 after it follows.
    EXPECT_EQ(sequences(order.arrive(picture(5, true), now)), (std::vector<uint64_t>{5, 6}));
    EXPECT_FALSE(order.gap());
    EXPECT_TRUE(order.arrive(picture(3), now).empty());
}

TEST(PictureOrder, TheFirstPictureLostIsAGapToo) {
    PictureOrder order;
    const auto now = Clock::now();
    EXPECT_TRUE(order.arrive(picture(2), now).empty());
    EXPECT_EQ(*order.gap(), (PictureOrder::Gap{0, 1}));
    EXPECT_EQ(sequences(order.arrive(picture(1, true), now)), (std::vector<uint64_t>{1, 2}));
}

TEST(PictureOrder, GivingUpDropsWhatIsHeldAndGoesOnAfterIt) {
    PictureOrder order;
    const auto start = Clock::now();
    order.arrive(picture(1, true), start);
    order.arrive(picture(3), start + std::chrono::milliseconds(5));
    order.arrive(picture(4), start + std::chrono::milliseconds(9));
    EXPECT_EQ(order.gap_since(), start + std::chrono::milliseconds(5));
    EXPECT_EQ(order.give_up(), 2u);
    EXPECT_FALSE(order.gap());
    EXPECT_EQ(sequences(order.arrive(picture(5), start)), std::vector<uint64_t>{5});
}

TEST(PictureOrder, AFurtherGapIsWaitedForFromWhenTheFirstFilled) {
    PictureOrder order;
    const auto start = Clock::now();
    order.arrive(picture(1, true), start);
    order.arrive(picture(3), start);
    order.arrive(picture(5), start);
    const auto later = start + std::chrono::milliseconds(300);
    EXPECT_EQ(sequences(order.arrive(picture(2), later)), (std::vector<uint64_t>{2, 3}));
    EXPECT_EQ(*order.gap(), (PictureOrder::Gap{3, 4}));
    EXPECT_EQ(order.gap_since(), later);
}

TEST(PictureOrder, AHostCannotMakeItHoldMoreThanItsBound) {
    PictureOrder order;
    const auto now = Clock::now();
    order.arrive(picture(1, true), now);
    for (uint64_t s = 3; s < 3 + PictureOrder::kMostHeld; ++s) order.arrive(picture(s), now);
    EXPECT_TRUE(order.gap());
    order.arrive(picture(3 + PictureOrder::kMostHeld), now);  // one over: all held goes
    EXPECT_FALSE(order.gap());
    const size_t big = PictureOrder::kMostHeldBytes / 2 + 1;
    order.arrive(picture(100, false, big), now);
    EXPECT_TRUE(order.gap());
    order.arrive(picture(101, false, big), now);
    EXPECT_FALSE(order.gap());
}

TEST(PictureOrder, ANewPathCountsFromOne) {
    PictureOrder order;
    const auto now = Clock::now();
    order.arrive(picture(1, true), now);
    order.arrive(picture(2), now);
    order.reset();
    EXPECT_EQ(sequences(order.arrive(picture(1, true), now)), std::vector<uint64_t>{1});
}

BufferRef message_of(uint8_t tag) { return BufferRef::copy_of(std::vector<uint8_t>{tag}); }

TEST(SentPictures, ThoseAskedForComeOnceAndInOrder) {
    SentPictures sent;
    for (uint8_t s = 1; s <= 6; ++s) sent.sent(s, message_of(s));
    auto again = sent.take_again(2, 4);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].bytes()[0], 3);
    EXPECT_EQ(again[1].bytes()[0], 4);
    // Asking again gets nothing: a viewer cannot make the host send a picture many times.
    EXPECT_TRUE(sent.take_again(2, 4).empty());
    EXPECT_EQ(sent.take_again(0, 100).size(), 4u);  // 1, 2, 5, 6
}

TEST(SentPictures, OnlyTheLastAreKept) {
    SentPictures sent;
    const uint64_t total = SentPictures::kMostKept + 10;
    for (uint64_t s = 1; s <= total; ++s) sent.sent(s, message_of(static_cast<uint8_t>(s)));
    const auto again = sent.take_again(0, total);
    ASSERT_EQ(again.size(), SentPictures::kMostKept);
    EXPECT_EQ(again.front().bytes()[0], static_cast<uint8_t>(11));
}

TEST(SentPictures, BigPicturesAreKeptWithinTheByteBound) {
    SentPictures sent;
    const size_t big = SentPictures::kMostKeptBytes / 3 + 1;
    for (uint64_t s = 1; s <= 4; ++s) sent.sent(s, BufferRef::allocate(big));
    EXPECT_EQ(sent.take_again(0, 4).size(), 2u);
}

}  // namespace
}  // namespace tether::session
