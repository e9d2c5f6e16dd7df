// The patch stream: what one end deflates the other inflates, message after
// message; a message like an earlier one costs a few bytes; hostile input ends
// in a DeflateError, never in more memory than the bound.
#include "patch/deflate_stream.h"

#include <gtest/gtest.h>

#include <random>

namespace tether::patch {
namespace {

std::vector<uint8_t> message_of(size_t size, uint32_t seed) {
    std::vector<uint8_t> m(size);
    std::mt19937 random(seed);
    for (auto& b : m) b = static_cast<uint8_t>(random() % 4);  // a few symbols, as packed colour indices are
    return m;
}

TEST(DeflateStream, EveryMessageInflatesToItselfInOrder) {
    DeflateStream out;
    InflateStream in;
    for (uint32_t i = 0; i < 200; ++i) {
        const auto m = message_of(1 + i * 37 % 5000, i);
        EXPECT_EQ(in.inflate(out.deflate(m), 1 << 20), m) << "message " << i;
    }
}

TEST(DeflateStream, AMessageSentBeforeCostsAFewBytes) {
    DeflateStream out;
    InflateStream in;
    const auto m = message_of(41, 7);
    const auto first = out.deflate(m);
    EXPECT_EQ(in.inflate(first, 1024), m);
    const auto again = out.deflate(m);
    EXPECT_LE(again.size(), 8u) << "first " << first.size();
    EXPECT_EQ(in.inflate(again, 1024), m);
}

TEST(DeflateStream, AMessageThatInflatesPastTheBoundIsRefused) {
    DeflateStream out;
    InflateStream in;
    const std::vector<uint8_t> zeros(100'000, 0);  // deflates to a few hundred bytes
    EXPECT_THROW(in.inflate(out.deflate(zeros), 99'999), DeflateError);
    DeflateStream out2;
    InflateStream in2;
    EXPECT_EQ(in2.inflate(out2.deflate(zeros), 100'000), zeros);
}

TEST(DeflateStream, GarbageIsRefused) {
    std::mt19937 random(1);
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
        std::vector<uint8_t> garbage(1 + random() % 64);
        for (auto& b : garbage) b = static_cast<uint8_t>(random());
        InflateStream in;
        try {
            const auto out = in.inflate(garbage, 4096);
            EXPECT_LE(out.size(), 4096u);
        } catch (const DeflateError&) {
            ++refused;
        }
    }
    EXPECT_GT(refused, 100);  // most random bytes are no deflate at all
}

}  // namespace
}  // namespace tether::patch
