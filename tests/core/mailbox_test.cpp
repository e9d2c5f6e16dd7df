// A mailbox bounded in bytes as well as items: what a peer can make the other
// side hold is what it weighs, never what it announces.
#include "core/mailbox.h"

#include <gtest/gtest.h>

#include <string>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

struct Item {
    bool droppable = true;
    size_t bytes = 0;
};

Mailbox<Item> bounded(size_t depth, size_t max_bytes) {
    return Mailbox<Item>(
        depth, Overflow::DropOldest, [](const Item& i) { return i.droppable; }, [](const Item& i) { return i.bytes; },
        max_bytes);
}

TEST(Mailbox, DropsTheOldestDroppableItemsToStayWithinItsBytes) {
    auto box = bounded(16, 100);
    EXPECT_EQ(box.push({true, 40}), 0);
    EXPECT_EQ(box.push({true, 40}), 0);
    EXPECT_EQ(box.push({true, 40}), 1);  // 120 bytes would not fit: the oldest goes
    EXPECT_EQ(box.push({true, 90}), 2);  // nor would 170 or 130
    EXPECT_EQ(box.skipped(), 3u);
    const auto only = box.pop(0ms);
    ASSERT_TRUE(only);
    EXPECT_EQ(only->bytes, 90u);
    EXPECT_FALSE(box.pop(0ms));
}

TEST(Mailbox, AnItemLargerThanAllItsBytesIsAFlood) {
    auto box = bounded(16, 100);
    EXPECT_EQ(box.push({true, 101}), -1);
}

TEST(Mailbox, ItemsThatMustArriveAreNeverDroppedAndTheirBytesCount) {
    auto box = bounded(16, 100);
    EXPECT_EQ(box.push({false, 60}), 0);
    EXPECT_EQ(box.push({true, 30}), 0);
    EXPECT_EQ(box.push({true, 30}), 1);   // the droppable one makes room, the other stays
    EXPECT_EQ(box.push({false, 50}), -1);  // nothing droppable is left to make room: a flood
    EXPECT_FALSE(box.pop(0ms)->droppable);
}

TEST(Mailbox, PoppingGivesItsBytesBack) {
    auto box = bounded(16, 100);
    for (int round = 0; round < 10; ++round) {
        EXPECT_EQ(box.push({false, 80}), 0) << round;
        ASSERT_TRUE(box.pop(0ms));
    }
}

}  // namespace
}  // namespace tether::test
