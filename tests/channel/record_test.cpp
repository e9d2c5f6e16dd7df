// The record layer on its own: every way a record can be wrong is refused
// with its own reason, for every cipher this machine offers.
#include "net/record.h"
#include "record_ciphers.h"

#include <gtest/gtest.h>

#include <vector>

namespace tether::net {
namespace {

using Records = RecordCiphers;

TEST_P(Records, RoundTripInOrder) {
    RecordSealer sealer(GetParam(), key);
    RecordOpener opener(GetParam(), key);
    for (int i = 0; i < 5; ++i) {
        const std::vector<uint8_t> plain(100 + i, static_cast<uint8_t>(i));
        const BufferRef record = sealer.seal(plain);
        EXPECT_EQ(record.size(), plain.size() + kRecordOverhead);
        EXPECT_EQ(opener.open(record.bytes()), plain);
    }
}

TEST_P(Records, EveryFlippedBitIsRefused) {
    const std::vector<uint8_t> plain(48, 0x5a);
    RecordSealer sealer(GetParam(), key);
    const std::vector<uint8_t> record = bytes(sealer.seal(plain));
    for (size_t bit = 0; bit < record.size() * 8; ++bit) {
        std::vector<uint8_t> tampered = record;
        tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        RecordOpener opener(GetParam(), key);
        EXPECT_THROW(opener.open(tampered), RecordError) << "bit " << bit;
    }
}

TEST_P(Records, ReplayReorderTruncationHaveTheirOwnReasons) {
    RecordSealer sealer(GetParam(), key);
    const auto first = bytes(sealer.seal(std::vector<uint8_t>(10, 1)));
    const auto second = bytes(sealer.seal(std::vector<uint8_t>(10, 2)));
    auto reason = [&](const std::vector<std::vector<uint8_t>>& sequence) {
        RecordOpener opener(GetParam(), key);
        try {
            for (const auto& r : sequence) opener.open(r);
        } catch (const RecordError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(reason({first, second}), "accepted");
    EXPECT_NE(reason({first, first}).find("replayed record"), std::string::npos);
    EXPECT_NE(reason({second}).find("record out of order"), std::string::npos);
    EXPECT_NE(reason({std::vector<uint8_t>(first.begin(), first.begin() + kRecordOverhead - 1)}).find("truncated record"), std::string::npos);
    auto cut = first;
    cut.pop_back();  // long enough to parse, one tag byte short
    EXPECT_NE(reason({cut}).find("failed authentication"), std::string::npos);
}

// A record carries its counter's low 16 bits: past 65,536 records the stream goes on, and a
// record from a whole counter span before is still refused.
TEST_P(Records, CountersGoOnPastTheirCarriedBits) {
    RecordSealer sealer(GetParam(), key);
    RecordOpener opener(GetParam(), key);
    std::vector<uint8_t> first;
    for (uint32_t i = 0; i < 70'000; ++i) {
        const std::vector<uint8_t> plain{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i >> 16)};
        const auto record = bytes(sealer.seal(plain));
        if (i == 0) first = record;
        ASSERT_EQ(opener.open(record), plain) << "record " << i;
    }
    EXPECT_THROW(opener.open(first), RecordError);
    const auto next = bytes(sealer.seal(std::vector<uint8_t>(3, 9)));
    EXPECT_EQ(opener.open(next), std::vector<uint8_t>(3, 9));
}

TEST_P(Records, WrongKeyIsRefused) {
    RecordSealer sealer(GetParam(), key);
    Key other = key;
    other[0] ^= 1;
    RecordOpener opener(GetParam(), other);
    EXPECT_THROW(opener.open(sealer.seal(std::vector<uint8_t>(5, 9)).bytes()), RecordError);
}

INSTANTIATE_TEST_SUITE_P(Ciphers, Records, ::testing::ValuesIn(supported_ciphers()), cipher_test_name);

}  // namespace
}  // namespace tether::net
