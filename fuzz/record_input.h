// How the record fuzzer reads its input, and how seeds for it are written:
// one byte choosing a cipher from supported_ciphers(), then records, length
// prefixed (length_prefixed.h).
#pragma once

#include "net/record.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tether::fuzz {

// Every run and every seed seals and opens under this key, so seeds sealed
// once stay valid records. The bytes spell "tether-fuzz-record-key".
constexpr net::Key kRecordKey{0x74, 0x65, 0x74, 0x68, 0x65, 0x72, 0x2d, 0x66, 0x75, 0x7a, 0x7a,
                              0x2d, 0x72, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x2d, 0x6b, 0x65, 0x79};

struct RecordInput {
    net::Cipher cipher{};
    std::vector<std::span<const uint8_t>> records;
};

RecordInput split_record_input(std::span<const uint8_t> input);

std::vector<uint8_t> join_record_input(uint8_t cipher_choice, const std::vector<std::vector<uint8_t>>& records);

}  // namespace tether::fuzz
