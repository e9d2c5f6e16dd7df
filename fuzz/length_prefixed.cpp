#include "length_prefixed.h"

#include <algorithm>

namespace tether::fuzz {

std::vector<std::span<const uint8_t>> split_length_prefixed(std::span<const uint8_t> input) {
    std::vector<std::span<const uint8_t>> messages;
    while (input.size() >= 2) {
        const size_t length = std::min<size_t>(input[0] | input[1] << 8, input.size() - 2);
        messages.push_back(input.subspan(2, length));
        input = input.subspan(2 + length);
    }
    return messages;
}

std::vector<uint8_t> join_length_prefixed(const std::vector<std::vector<uint8_t>>& messages) {
    std::vector<uint8_t> input;
    for (const auto& message : messages) {
        input.push_back(static_cast<uint8_t>(message.size()));
        input.push_back(static_cast<uint8_t>(message.size() >> 8));
        input.insert(input.end(), message.begin(), message.end());
    }
    return input;
}

}  // namespace tether::fuzz
