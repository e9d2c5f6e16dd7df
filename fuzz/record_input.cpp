#include "record_input.h"

#include "length_prefixed.h"

namespace tether::fuzz {

RecordInput split_record_input(std::span<const uint8_t> input) {
    static const std::vector<net::Cipher> ciphers = net::supported_ciphers();
    RecordInput result;
    result.cipher = ciphers[input.empty() ? 0 : input.front() % ciphers.size()];
    if (!input.empty()) result.records = split_length_prefixed(input.subspan(1));
    return result;
}

std::vector<uint8_t> join_record_input(uint8_t cipher_choice, const std::vector<std::vector<uint8_t>>& records) {
    std::vector<uint8_t> input{cipher_choice};
    const std::vector<uint8_t> joined = join_length_prefixed(records);
    input.insert(input.end(), joined.begin(), joined.end());
    return input;
}

}  // namespace tether::fuzz
