// Unreliable records on their own: lost and reordered records are delivered,
// replayed, too old and forged ones are dropped with their reason and leave
// the next good record alone, for every cipher this machine offers.
#include "net/unreliable_record.h"
#include "record_ciphers.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace tether::net {
namespace {

class UnreliableRecords : public RecordCiphers {
protected:
    // Sealed as UnreliableSealer would seal its record number `counter`.
    std::vector<uint8_t> sealed_at(uint64_t counter) const {
        const DirectionKey unreliable(GetParam(), unreliable_record_key(key));
        return bytes(seal_record(unreliable, counter, kUnreliableRecordHeader, payload(counter)));
    }
    static std::vector<uint8_t> payload(uint64_t counter) {
        std::vector<uint8_t> plain(12, 0xa5);
        for (size_t i = 0; i < 8; ++i) plain[i] = static_cast<uint8_t>(counter >> (8 * i));
        return plain;
    }
    // Opens the record of `counter` and says whether it came out whole.
    static bool delivers(UnreliableOpener& opener, const std::vector<uint8_t>& record, uint64_t counter) {
        const std::optional<std::vector<uint8_t>> plain = opener.open(record);
        return plain && *plain == payload(counter);
    }
};

TEST_P(UnreliableRecords, InOrderAreTheSealersCounters) {
    UnreliableSealer sealer(GetParam(), key);
    UnreliableOpener opener(GetParam(), key);
    for (uint64_t i = 0; i < 5; ++i) {
        const auto record = bytes(sealer.seal(payload(i)));
        EXPECT_EQ(record.size(), payload(i).size() + kUnreliableRecordOverhead);
        EXPECT_EQ(record, sealed_at(i));
        EXPECT_TRUE(delivers(opener, record, i)) << "record " << i;
    }
    EXPECT_EQ(opener.drops().total(), 0u);
}

TEST_P(UnreliableRecords, LostRecordsHoldUpNothing) {
    UnreliableOpener opener(GetParam(), key);
    for (uint64_t i = 0; i < 30; i += 3) EXPECT_TRUE(delivers(opener, sealed_at(i), i)) << "record " << i;
    EXPECT_EQ(opener.drops().total(), 0u);
}

// Past the 32,768 lost records that 16 bits of counter could place.
TEST_P(UnreliableRecords, ALongLossIsPlaced) {
    UnreliableSealer sealer(GetParam(), key);
    UnreliableOpener opener(GetParam(), key);
    std::vector<uint8_t> early;
    for (uint64_t i = 0; i < 100'000; ++i) {
        const auto record = bytes(sealer.seal(payload(i)));
        if (i == 0) {
            EXPECT_TRUE(delivers(opener, record, i));
        }
        if (i == 50'000) early = record;
    }
    EXPECT_TRUE(delivers(opener, bytes(sealer.seal(payload(100'000))), 100'000));
    EXPECT_FALSE(opener.open(early));
    EXPECT_EQ(opener.drops().too_old, 1u);
}

TEST_P(UnreliableRecords, ReorderedWithinTheWindowAreDelivered) {
    UnreliableOpener opener(GetParam(), key);
    const uint64_t newest = kReplayWindow + 100;
    const uint64_t oldest = newest + 1 - kReplayWindow;
    ASSERT_TRUE(delivers(opener, sealed_at(newest), newest));
    for (uint64_t i = newest; i-- > oldest;) ASSERT_TRUE(delivers(opener, sealed_at(i), i)) << "record " << i;
    EXPECT_FALSE(opener.open(sealed_at(oldest - 1)));
    EXPECT_EQ(opener.drops().too_old, 1u);
    EXPECT_EQ(opener.drops().total(), 1u);
}

TEST_P(UnreliableRecords, DuplicatesAreRefused) {
    UnreliableOpener opener(GetParam(), key);
    EXPECT_TRUE(delivers(opener, sealed_at(1), 1));
    EXPECT_FALSE(opener.open(sealed_at(1)));
    EXPECT_TRUE(delivers(opener, sealed_at(0), 0));
    EXPECT_FALSE(opener.open(sealed_at(0)));
    EXPECT_TRUE(delivers(opener, sealed_at(2), 2));
    EXPECT_FALSE(opener.open(sealed_at(1)));
    EXPECT_EQ(opener.drops().replayed, 3u);
    EXPECT_EQ(opener.drops().total(), 3u);
}

TEST_P(UnreliableRecords, BelowTheWindowIsTooOld) {
    UnreliableOpener opener(GetParam(), key);
    ASSERT_TRUE(delivers(opener, sealed_at(kReplayWindow), kReplayWindow));
    EXPECT_FALSE(opener.open(sealed_at(0)));
    EXPECT_EQ(opener.drops().too_old, 1u);
    EXPECT_TRUE(delivers(opener, sealed_at(1), 1));  // the oldest the window holds
}

// The window's bits are reused counter after counter: what it moved past is not "seen".
TEST_P(UnreliableRecords, TheWindowForgetsWhatItMovedPast) {
    UnreliableOpener opener(GetParam(), key);
    for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(delivers(opener, sealed_at(i), i));
    ASSERT_TRUE(delivers(opener, sealed_at(kReplayWindow + 5), kReplayWindow + 5));
    for (uint64_t i = kReplayWindow; i < kReplayWindow + 5; ++i) EXPECT_TRUE(delivers(opener, sealed_at(i), i)) << i;
    const uint64_t far = 3 * kReplayWindow + 20;
    ASSERT_TRUE(delivers(opener, sealed_at(far), far));
    for (uint64_t i = far - 20; i < far; ++i) EXPECT_TRUE(delivers(opener, sealed_at(i), i)) << i;
    EXPECT_EQ(opener.drops().total(), 0u);
}

TEST_P(UnreliableRecords, ForgedAndTruncatedLeaveTheNextRecordAlone) {
    UnreliableOpener opener(GetParam(), key);
    const auto first = sealed_at(0);
    for (size_t bit = 0; bit < first.size() * 8; ++bit) {
        auto tampered = first;
        tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(opener.open(tampered)) << "bit " << bit;
    }
    EXPECT_EQ(opener.drops().failed_authentication, first.size() * 8);
    EXPECT_FALSE(opener.open(std::vector<uint8_t>(first.begin(), first.end() - 1)));  // one tag byte short
    EXPECT_FALSE(opener.open(std::vector<uint8_t>(first.begin(), first.begin() + kUnreliableRecordOverhead - 1)));
    EXPECT_FALSE(opener.open({}));
    EXPECT_EQ(opener.drops().truncated, 2u);
    // A forged record far ahead must not move the window past the real ones.
    auto ahead = sealed_at(1);
    ahead[1] = 0x40;
    EXPECT_FALSE(opener.open(ahead));
    EXPECT_EQ(opener.drops().failed_authentication, first.size() * 8 + 2);
    EXPECT_TRUE(delivers(opener, first, 0));
    EXPECT_TRUE(delivers(opener, sealed_at(1), 1));
}

// A record is placed within 2^31 of the one after the highest accepted.
TEST_P(UnreliableRecords, AJumpFarAheadIsPlaced) {
    UnreliableOpener opener(GetParam(), key);
    constexpr uint64_t kHalfSpan = uint64_t{1} << 31;
    ASSERT_TRUE(delivers(opener, sealed_at(0), 0));
    const uint64_t first_jump = kHalfSpan + 5;
    EXPECT_TRUE(delivers(opener, sealed_at(first_jump), first_jump));
    const uint64_t farthest = first_jump + kHalfSpan;  // the next counter plus 2^31 - 1
    EXPECT_TRUE(delivers(opener, sealed_at(farthest), farthest));
    // 2^31 past the next counter has the low bits of one 2^31 below it.
    EXPECT_FALSE(opener.open(sealed_at(farthest + 1 + kHalfSpan)));
    EXPECT_EQ(opener.drops().too_old, 1u);
    EXPECT_TRUE(delivers(opener, sealed_at(farthest + 1), farthest + 1));
}

TEST_P(UnreliableRecords, CountersGoOnAcrossTheWrapOfTheirCarriedBits) {
    UnreliableOpener opener(GetParam(), key);
    const uint64_t base = (uint64_t{1} << 32) - 4;
    for (const uint64_t offset : {1, 0, 5, 3, 4, 2, 7, 6})
        EXPECT_TRUE(delivers(opener, sealed_at(base + offset), base + offset)) << "offset " << offset;
    EXPECT_FALSE(opener.open(sealed_at(base + 4)));
    EXPECT_EQ(opener.drops().replayed, 1u);
    // Same low bits as base + 12, 2^32 records before it: the nonce is the whole counter.
    EXPECT_FALSE(opener.open(sealed_at(8)));
    EXPECT_EQ(opener.drops().failed_authentication, 1u);
    EXPECT_TRUE(delivers(opener, sealed_at(base + 12), base + 12));
}

// Under one channel key, neither kind of record opens as the other.
TEST_P(UnreliableRecords, NeverOpenAsReliableRecordsOrTheOtherWayRound) {
    EXPECT_NE(unreliable_record_key(key), key);
    UnreliableSealer unreliable(GetParam(), key);
    RecordOpener reliable_opener(GetParam(), key);
    EXPECT_THROW(reliable_opener.open(unreliable.seal(payload(0)).bytes()), RecordError);

    RecordSealer reliable(GetParam(), key);
    UnreliableOpener opener(GetParam(), key);
    EXPECT_FALSE(opener.open(reliable.seal(payload(0)).bytes()));
    // Even with an unreliable header: the reliable key is not the unreliable one.
    const DirectionKey reliable_key(GetParam(), key);
    EXPECT_FALSE(opener.open(seal_record(reliable_key, 0, kUnreliableRecordHeader, payload(0)).bytes()));
    EXPECT_EQ(opener.drops().failed_authentication, 2u);
}

INSTANTIATE_TEST_SUITE_P(Ciphers, UnreliableRecords, ::testing::ValuesIn(supported_ciphers()), cipher_test_name);

}  // namespace
}  // namespace tether::net
