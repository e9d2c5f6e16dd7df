// The patch stream: what one end compresses the other decompresses, message after
// message; a message like an earlier one costs a few bytes; hostile input ends
// in a StreamError, never in more memory than the bound.
#include "patch/patch_stream.h"

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

// Through the stream the host chose for it.
std::vector<uint8_t> round_trip(CompressStream& out, DecompressStream& in, const std::vector<uint8_t>& m, size_t most) {
    const Compressed c = out.compress(m);
    return in.decompress(c.codec, c.bytes, most);
}

TEST(PatchStream, EveryMessageComesBackInOrder) {
    CompressStream out;
    DecompressStream in;
    for (uint32_t i = 0; i < 200; ++i) {
        const auto m = message_of(1 + i * 37 % 5000, i);
        EXPECT_EQ(round_trip(out, in, m, 1 << 20), m) << "message " << i;
    }
}

TEST(PatchStream, AMessageSentBeforeCostsAFewBytes) {
    CompressStream out;
    DecompressStream in;
    const auto m = message_of(41, 7);  // a typed character's size: deflate's
    const auto first = out.compress(m);
    EXPECT_EQ(first.codec, Codec::Deflate);
    EXPECT_EQ(in.decompress(first.codec, first.bytes, 1024), m);
    const auto again = out.compress(m);
    EXPECT_LE(again.bytes.size(), 8u) << "first " << first.bytes.size();
    EXPECT_EQ(in.decompress(again.codec, again.bytes, 1024), m);
}

// A scrolled terminal: the next picture is the last one's rows moved up, and new rows. Far more
// than deflate's 32 KiB back, the moved rows still cost next to nothing.
TEST(PatchStream, AScrolledPictureCostsItsNewRows) {
    constexpr size_t kRow = 80, kRows = 1300, kNew = 130;  // 100 KiB a picture, 10 KiB of it new
    std::mt19937 random(3);
    std::vector<uint8_t> before(kRow * kRows);
    for (auto& b : before) b = static_cast<uint8_t>(random());
    std::vector<uint8_t> after(before.begin() + kRow * kNew, before.end());
    for (size_t i = 0; i < kRow * kNew; ++i) after.push_back(static_cast<uint8_t>(random()));
    CompressStream out;
    DecompressStream in;
    EXPECT_EQ(round_trip(out, in, before, 1 << 20), before);
    const auto scrolled = out.compress(after);
    EXPECT_EQ(scrolled.codec, Codec::Zstd);
    EXPECT_LE(scrolled.bytes.size(), kRow * kNew + 512);
    EXPECT_EQ(in.decompress(scrolled.codec, scrolled.bytes, 1 << 20), after);
}

TEST(PatchStream, AMessageThatComesToMoreThanTheBoundIsRefused) {
    CompressStream out;
    DecompressStream in;
    const std::vector<uint8_t> zeros(100'000, 0);  // compresses to a few dozen bytes
    EXPECT_THROW(round_trip(out, in, zeros, 99'999), StreamError);
    CompressStream out2;
    DecompressStream in2;
    EXPECT_EQ(round_trip(out2, in2, zeros, 100'000), zeros);
    const std::vector<uint8_t> small(1000, 0);  // deflate's
    CompressStream out3;
    DecompressStream in3;
    EXPECT_THROW(round_trip(out3, in3, small, 999), StreamError);
}

TEST(PatchStream, GarbageIsRefused) {
    std::mt19937 random(1);
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
        std::vector<uint8_t> garbage(1 + random() % 64);
        for (auto& b : garbage) b = static_cast<uint8_t>(random());
        DecompressStream in;
        try {
            const auto out = in.decompress(i % 2 == 0 ? Codec::Deflate : Codec::Zstd, garbage, 4096);
            EXPECT_LE(out.size(), 4096u);
        } catch (const StreamError&) {
            ++refused;
        }
    }
    EXPECT_GT(refused, 100);  // most random bytes are neither deflate nor zstd
}

}  // namespace
}  // namespace tether::patch
