#include "record_input.h"

#include <algorithm>

namespace tether::fuzz {

RecordInput split_record_input(std::span<const uint8_t> input) {
    static const std::vector<net::Cipher> ciphers = net::supported_ciphers();
    RecordInput result;
    result.cipher = ciphers[input.empty() ? 0 : input.front() % ciphers.size()];
    if (!input.empty()) input = input.subspan(1);
    while (input.size() >= 2) {
        const size_t length = std::min<size_t>(input[0] | input[1] << 8, input.size() - 2);
        result.records.push_back(input.subspan(2, length));
        input = input.subspan(2 + length);
    }
    return result;
}

std::vector<uint8_t> join_record_input(uint8_t cipher_choice, const std::vector<std::vector<uint8_t>>& records) {
    std::vector<uint8_t> input{cipher_choice};
    for (const auto& record : records) {
        input.push_back(static_cast<uint8_t>(record.size()));
        input.push_back(static_cast<uint8_t>(record.size() >> 8));
        input.insert(input.end(), record.begin(), record.end());
    }
    return input;
}

}  // namespace tether::fuzz
