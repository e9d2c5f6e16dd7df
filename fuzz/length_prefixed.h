// Fuzz inputs that hold several messages: each a 2-byte little-endian length
// and that many bytes (a length running past the end takes what is left).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tether::fuzz {

std::vector<std::span<const uint8_t>> split_length_prefixed(std::span<const uint8_t> input);

std::vector<uint8_t> join_length_prefixed(const std::vector<std::vector<uint8_t>>& messages);

}  // namespace tether::fuzz
